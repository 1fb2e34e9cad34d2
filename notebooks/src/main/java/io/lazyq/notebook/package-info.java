/** A Jupyter kernel for Java with Spark and LazyQ on its classpath, and the display helpers its notebooks use. */
package io.lazyq.notebook;
