package io.lazyq.spark;

import static io.lazyq.spark.StatsFilterTest.Outcome.KEPT;
import static io.lazyq.spark.StatsFilterTest.Outcome.READ;
import static io.lazyq.spark.StatsFilterTest.Outcome.SKIP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lazyq.format.BufferRef;
import io.lazyq.format.ChunkDescriptor;
import io.lazyq.format.ColumnChunk;
import io.lazyq.format.ColumnEncoding;
import io.lazyq.format.ColumnStats;
import io.lazyq.format.ColumnType;
import io.lazyq.format.Field;
import io.lazyq.format.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.apache.spark.sql.catalyst.expressions.And;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Cast;
import org.apache.spark.sql.catalyst.expressions.Contains;
import org.apache.spark.sql.catalyst.expressions.EndsWith;
import org.apache.spark.sql.catalyst.expressions.EqualNullSafe;
import org.apache.spark.sql.catalyst.expressions.EqualTo;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.GreaterThan;
import org.apache.spark.sql.catalyst.expressions.GreaterThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.In;
import org.apache.spark.sql.catalyst.expressions.InSet;
import org.apache.spark.sql.catalyst.expressions.IsNotNull;
import org.apache.spark.sql.catalyst.expressions.IsNull;
import org.apache.spark.sql.catalyst.expressions.LessThan;
import org.apache.spark.sql.catalyst.expressions.LessThanOrEqual;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.NamedExpression$;
import org.apache.spark.sql.catalyst.expressions.Not;
import org.apache.spark.sql.catalyst.expressions.Or;
import org.apache.spark.sql.catalyst.expressions.StartsWith;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.expressions.Expressions;
import org.apache.spark.sql.connector.expressions.filter.AlwaysFalse;
import org.apache.spark.sql.connector.expressions.filter.AlwaysTrue;
import org.apache.spark.sql.connector.expressions.filter.Predicate;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Strategy$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import scala.PartialFunction$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Which chunks statistics rule out. Each table row gives a chunk's statistics, a predicate as Spark
 * pushes it (a Catalyst expression translated by Spark itself) and the outcome. The outcome is
 * checked against Spark's own evaluation of the predicate on every value the statistics allow: the
 * bounds, each literal and its neighbours within them, and null where there are nulls. A chunk
 * that may hold a matching row is never skipped.
 */
class StatsFilterTest {

  /** What statistics make of a chunk. */
  enum Outcome {
    /** Ruled out: no value the statistics allow matches. */
    SKIP,
    /** Read: some value the statistics allow matches. */
    READ,
    /** Read although no allowed value matches: the statistics (or the predicate) are not used that far. */
    KEPT
  }

  // ---- the table: one column of each type the format has

  static final int I = 0, L = 1, F = 2, D = 3, TS = 4, S = 5, B = 6, V = 7;
  static final String[] NAMES = {"i", "l", "f", "d", "ts", "s", "b", "v"};
  static final ColumnType[] FORMAT_TYPES = {ColumnType.INT32, ColumnType.INT64, ColumnType.FLOAT32,
      ColumnType.FLOAT64, ColumnType.TIMESTAMP, ColumnType.UTF8, ColumnType.BOOL, ColumnType.listOf(ColumnType.FLOAT32)};
  static final DataType[] SPARK_TYPES = {DataTypes.IntegerType, DataTypes.LongType, DataTypes.FloatType,
      DataTypes.DoubleType, DataTypes.TimestampType, DataTypes.StringType, DataTypes.BooleanType,
      DataTypes.createArrayType(DataTypes.FloatType, false)};
  static final Schema SCHEMA;
  static final AttributeReference[] COLUMNS = new AttributeReference[NAMES.length];

  static {
    Field[] fields = new Field[NAMES.length];
    for (int c = 0; c < NAMES.length; c++) {
      fields[c] = Field.of(NAMES[c], FORMAT_TYPES[c]);
      COLUMNS[c] = new AttributeReference(NAMES[c], SPARK_TYPES[c], true, Metadata.empty(),
          NamedExpression$.MODULE$.newExprId(), CollectionConverters.asScala(List.<String>of()).toList());
    }
    SCHEMA = Schema.of(fields);
  }

  static final int ROWS = 100;
  static final double NaN = Double.NaN;
  static final double INF = Double.POSITIVE_INFINITY;
  static final long T0 = 1_700_000_000_000_000L;
  static final long T1 = T0 + 3_600_000_000L;

  static Stream<Case> table() {
    return Stream.of(
        // int32: exact bounds, both sides, literal on either side
        row(stats(I, 10, 20),             eq(I, 9),                        SKIP),
        row(stats(I, 10, 20),             eq(I, 10),                       READ),
        row(stats(I, 10, 20),             eq(I, 20),                       READ),
        row(stats(I, 10, 20),             eq(I, 21),                       SKIP),
        row(stats(I, 10, 20),             lt(I, 10),                       SKIP),
        row(stats(I, 10, 20),             lt(I, 11),                       READ),
        row(stats(I, 10, 20),             le(I, 10),                       READ),
        row(stats(I, 10, 20),             le(I, 9),                        SKIP),
        row(stats(I, 10, 20),             gt(I, 20),                       SKIP),
        row(stats(I, 10, 20),             gt(I, 19),                       READ),
        row(stats(I, 10, 20),             ge(I, 20),                       READ),
        row(stats(I, 10, 20),             ge(I, 21),                       SKIP),
        row(stats(I, 10, 20),             gt(lit(I, 10), col(I)),          SKIP),
        row(stats(I, 10, 20),             ge(lit(I, 10), col(I)),          READ),
        row(stats(I, 10, 20),             lt(lit(I, 20), col(I)),          SKIP),
        row(stats(I, 10, 20),             le(lit(I, 20), col(I)),          READ),
        row(stats(I, 10, 20),             eq(lit(I, 21), col(I)),          SKIP),
        row(stats(I, 15, 15),             eq(I, 15),                       READ),
        row(stats(I, 15, 15),             gt(I, 15),                       SKIP),
        row(stats(I, MIN_I, MAX_I),       lt(I, MIN_I),                    SKIP),
        row(stats(I, MIN_I, MAX_I),       gt(I, MAX_I),                    SKIP),
        row(stats(I, MIN_I, MAX_I),       le(I, MIN_I),                    READ),
        // null-safe equality and null literals
        row(stats(I, 10, 20),             eqNullSafe(I, 10),               READ),
        row(stats(I, 10, 20),             eqNullSafe(I, 9),                SKIP),
        row(stats(I, 10, 20),             eqNullSafe(I, null),             SKIP),
        row(stats(I, 10, 20).nulls(1),    eqNullSafe(I, null),             READ),
        row(allNull(I),                   eqNullSafe(I, null),             READ),
        row(allNull(I),                   eqNullSafe(I, 15),               SKIP),
        row(stats(I, 10, 20).nulls(5),    eq(I, null),                     SKIP),
        row(stats(I, 10, 20).nulls(5),    lt(I, null),                     SKIP),
        // IN, with nulls in the list
        row(stats(I, 10, 20),             in(I, 1, 9, 21),                 SKIP),
        row(stats(I, 10, 20),             in(I, 1, 15),                    READ),
        row(stats(I, 10, 20),             in(I, 20),                       READ),
        row(stats(I, 10, 20),             in(I, null, 21),                 SKIP),
        row(stats(I, 10, 20),             in(I, null, 10),                 READ),
        row(stats(I, 10, 20).nulls(5),    in(I, (Object) null),            SKIP),
        row(allNull(I),                   in(I, 1, null),                  SKIP),
        row(stats(I, 10, 20),             inSet(I, 1, 2, 3, 30, 40),       SKIP),
        row(stats(I, 10, 20),             inSet(I, 1, 2, 3, 11, 40),       READ),
        // IS [NOT] NULL
        row(stats(I, 10, 20),             isNull(I),                       SKIP),
        row(stats(I, 10, 20).nulls(1),    isNull(I),                       READ),
        row(stats(I, 10, 20),             isNotNull(I),                    READ),
        row(allNull(I),                   isNotNull(I),                    SKIP),
        row(allNull(I),                   isNull(I),                       READ),
        row(allNull(I),                   eq(I, 15),                       SKIP),
        row(allNull(I),                   ge(I, MIN_I),                    SKIP),
        // a chunk without min and max is bounded by nothing
        row(noMinMax(I),                  eq(I, 15),                       READ),
        row(noMinMax(I).nulls(5),         gt(I, 1_000_000),                READ),
        // int64 and timestamp: longs, including their extremes
        row(stats(L, -5, 5),              eq(L, 3_000_000_000L),           SKIP),
        row(stats(L, -5, 5),              gt(L, -6),                       READ),
        row(stats(L, MIN_L, MAX_L),       gt(L, MAX_L),                    SKIP),
        row(stats(L, MIN_L, MAX_L),       lt(L, MIN_L),                    SKIP),
        row(stats(L, MAX_L, MAX_L),       ge(L, MAX_L),                    READ),
        row(stats(TS, T0, T1),            lt(TS, T0),                      SKIP),
        row(stats(TS, T0, T1),            le(TS, T0),                      READ),
        row(stats(TS, T0, T1),            gt(TS, T1),                      SKIP),
        row(stats(TS, T0, T1),            eq(TS, T0 + 1),                  READ),
        row(stats(TS, T0, T1),            in(TS, T0 - 1, T1 + 1),          SKIP),
        row(stats(TS, T0, T1).nulls(3),   isNull(TS),                      READ),
        // float64: exact bounds
        row(stats(D, -1.5, 2.5),          eq(D, 2.5),                      READ),
        row(stats(D, -1.5, 2.5),          gt(D, 2.5),                      SKIP),
        row(stats(D, -1.5, 2.5),          ge(D, Math.nextUp(2.5)),         SKIP),
        row(stats(D, -1.5, 2.5),          lt(D, -1.5),                     SKIP),
        row(stats(D, -1.5, 2.5),          le(D, -1.5),                     READ),
        row(stats(D, -1.5, 2.5),          in(D, -2.0, 3.0),                SKIP),
        row(stats(D, -1.5, 2.5),          in(D, -2.0, 0.0),                READ),
        // NaN: above every number, equal to itself; a NaN max means "unbounded above"
        row(stats(D, -1.5, 2.5),          lt(D, NaN),                      READ),
        row(stats(D, -1.5, 2.5),          eq(D, NaN),                      KEPT),
        row(stats(D, -1.5, 2.5),          gt(D, NaN),                      KEPT),
        row(stats(D, -1.5, 2.5),          in(D, NaN),                      KEPT),
        row(stats(D, -1.5, NaN),          eq(D, NaN),                      READ),
        row(stats(D, -1.5, NaN),          gt(D, 1e300),                    READ),
        row(stats(D, -1.5, NaN),          gt(D, INF),                      READ),
        row(stats(D, -1.5, NaN),          eqNullSafe(D, NaN),              READ),
        row(stats(D, -1.5, NaN),          in(D, NaN),                      READ),
        row(stats(D, -1.5, NaN),          lt(D, -2.0),                     KEPT),
        row(stats(D, -INF, NaN),          eq(D, NaN),                      READ),
        row(stats(D, -INF, NaN),          lt(D, 0.0),                      READ),
        row(stats(D, -INF, NaN).nulls(4), isNull(D),                       READ),
        // infinities are numbers
        row(stats(D, -INF, INF),          gt(D, INF),                      SKIP),
        row(stats(D, -INF, INF),          ge(D, INF),                      READ),
        row(stats(D, -INF, INF),          lt(D, -INF),                     SKIP),
        row(stats(D, 1.0, INF),           eq(D, INF),                      READ),
        // -0.0 equals 0.0, whichever sign the bounds or the literal carry
        row(stats(D, -0.0, 0.0),          eq(D, 0.0),                      READ),
        row(stats(D, -0.0, 0.0),          eq(D, -0.0),                     READ),
        row(stats(D, -0.0, 0.0),          lt(D, 0.0),                      SKIP),
        row(stats(D, -0.0, 0.0),          gt(D, -0.0),                     SKIP),
        row(stats(D, -0.0, 0.0),          ge(D, 0.0),                      READ),
        row(stats(D, 0.0, 1.0),           eq(D, -0.0),                     READ),
        row(stats(D, 0.0, 1.0),           lt(D, -0.0),                     SKIP),
        row(stats(D, 0.0, 1.0),           le(D, -0.0),                     READ),
        row(stats(D, -1.0, -0.0),         eq(D, 0.0),                      READ),
        row(stats(D, -1.0, -0.0),         gt(D, -0.0),                     SKIP),
        row(stats(D, -1.0, -0.0),         in(D, 0.0),                      READ),
        row(stats(D, 1.0, 2.0),           in(D, -0.0, 0.0),                SKIP),
        // float32: float literals, float bounds
        row(stats(F, 0.1f, 0.5f),         eq(F, 0.1f),                     READ),
        row(stats(F, 0.1f, 0.5f),         eq(F, Math.nextDown(0.1f)),      SKIP),
        row(stats(F, 0.1f, 0.5f),         lt(F, 0.1f),                     SKIP),
        row(stats(F, 0.1f, 0.5f),         gt(F, 0.5f),                     SKIP),
        row(stats(F, 0.1f, 0.5f),         ge(F, 0.5f),                     READ),
        row(stats(F, 0.1f, NaN),          eq(F, Float.NaN),                READ),
        row(stats(F, 0.1f, NaN),          gt(F, Float.MAX_VALUE),          READ),
        row(stats(F, -0.0f, 0.0f),        eq(F, -0.0f),                    READ),
        row(stats(F, -0.0f, 0.0f),        lt(F, 0.0f),                     SKIP),
        row(allNull(F),                   eq(F, Float.NaN),                SKIP),
        // strings have no bounds: only their null counts decide
        row(noMinMax(S),                  eq(S, "a"),                      READ),
        row(allNull(S),                   eq(S, "a"),                      KEPT),
        row(allNull(S),                   in(S, "a", "b"),                 KEPT),
        row(allNull(S),                   startsWith(S, "a"),              KEPT),
        row(noMinMax(S),                  isNull(S),                       SKIP),
        row(noMinMax(S).nulls(1),         isNull(S),                       READ),
        row(allNull(S),                   isNotNull(S),                    SKIP),
        // booleans: their bounds are 0 and 1, not used for comparisons
        row(stats(B, 0, 0),               eq(B, true),                     KEPT),
        row(stats(B, 0, 0),               col(B),                          KEPT),
        row(stats(B, 0, 0),               in(B, true),                     KEPT),
        row(stats(B, 0, 1),               in(B, true, false),              READ),
        row(stats(B, 1, 1),               isNull(B),                       SKIP),
        row(allNull(B),                   isNotNull(B),                    SKIP),
        // lists are never decided
        row(noMinMax(V),                  isNull(V),                       KEPT),
        row(allNull(V),                   isNotNull(V),                    KEPT),
        // AND / OR over columns; a side statistics cannot decide keeps the whole
        row(stats(I, 10, 20), stats(D, -1.5, 2.5), and(eq(I, 15), gt(D, 10.0)),       SKIP),
        row(stats(I, 10, 20), stats(D, -1.5, 2.5), and(eq(I, 15), gt(D, 0.0)),        READ),
        row(stats(I, 10, 20), stats(D, -1.5, 2.5), or(eq(I, 15), gt(D, 10.0)),        READ),
        row(stats(I, 10, 20), stats(D, -1.5, 2.5), or(eq(I, 9), gt(D, 10.0)),         SKIP),
        row(stats(I, 10, 20), stats(D, -1.5, 2.5), or(eq(I, 9), gt(D, 2.0)),          READ),
        row(stats(I, 10, 20), stats(D, -1.5, 2.5),
            or(and(eq(I, 9), eq(D, 0.0)), and(eq(I, 15), gt(D, 3.0))),                 SKIP),
        row(stats(I, 10, 20), allNull(S),          or(eq(I, 9), eq(S, "a")),          KEPT),
        row(stats(I, 10, 20), noMinMax(S),         or(eq(I, 9), eq(S, "a")),          READ),
        row(stats(I, 10, 20), noMinMax(S),         and(eq(I, 9), eq(S, "a")),         KEPT),
        row(stats(I, 10, 20),                      and(isNotNull(I), isNull(I)),      SKIP),
        row(stats(I, 10, 20).nulls(3),             and(isNotNull(I), isNull(I)),      KEPT),
        // NOT and <> are not decided
        row(stats(I, 15, 15),             not(eq(I, 15)),                  KEPT),
        row(stats(I, 10, 20),             not(gt(I, 20)),                  READ),
        row(stats(I, 10, 20).nulls(3),    not(isNull(I)),                  READ),
        row(allNull(I),                   not(isNull(I)),                  KEPT),
        // a predicate Spark cannot push is no predicate at all
        row(stats(I, 10, 20),             eq(cast(I, DataTypes.LongType), lit(L, 30L)), KEPT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void chunkOutcome(Case c) {
    boolean kept = StatsFilter.of(pushed(c.predicate), SCHEMA).mightMatch(c.chunk());
    boolean matchPossible = anyRowMatches(c.predicate, candidateRows(c));
    if (matchPossible) {
      assertTrue(kept, "skipped a chunk that may hold a matching row");
    }
    assertEquals(c.outcome, kept ? (matchPossible ? READ : KEPT) : SKIP);
  }

  // ---- which predicates are reported as pushed

  static Stream<Arguments> pushTable() {
    return Stream.of(
        pushed(eq(I, 1),                                  true),
        pushed(eq(lit(I, 1), col(I)),                     true),
        pushed(eqNullSafe(I, null),                       true),
        pushed(lt(L, 1L),                                 true),
        pushed(le(TS, T0),                                true),
        pushed(gt(F, 1f),                                 true),
        pushed(ge(D, NaN),                                true),
        pushed(in(I, 1, null),                            true),
        pushed(inSet(D, 1.0, 2.0),                        true),
        pushed(isNull(I),                                 true),
        pushed(isNull(S),                                 true),
        pushed(isNotNull(B),                              true),
        pushed(and(eq(I, 1), gt(D, 0.0)),                 true),
        pushed(or(eq(I, 1), isNull(S)),                   true),
        pushed(or(and(eq(I, 1), isNull(S)), lt(TS, T0)),  true),
        pushed(eq(S, "a"),                                false),
        pushed(in(S, "a", "b"),                           false),
        pushed(lt(S, "a"),                                false),
        pushed(startsWith(S, "a"),                        false),
        pushed(new EndsWith(col(S), lit(S, "a")),         false),
        pushed(new Contains(col(S), lit(S, "a")),         false),
        pushed(eq(B, true),                               false),
        pushed(col(B),                                    false),
        pushed(in(B, true, false),                        false),
        pushed(isNull(V),                                 false),
        pushed(isNotNull(V),                              false),
        pushed(not(eq(I, 1)),                             false),
        pushed(not(isNull(I)),                            false),
        pushed(eq(col(I), col(I)),                        false),
        pushed(lt(col(D), col(D)),                        false),
        pushed(eq(cast(I, DataTypes.LongType), lit(L, 1L)), false),
        pushed(or(eq(I, 1), eq(S, "a")),                  false),
        pushed(and(eq(I, 1), not(eq(I, 2))),              false));
  }

  @ParameterizedTest(name = "{0} pushed: {1}")
  @MethodSource("pushTable")
  void reportedAsPushed(Expression predicate, boolean pushed) {
    Predicate[] translated = pushed(predicate);
    assertEquals(1, translated.length, "Spark translates " + predicate.sql());
    assertArrayEquals(pushed ? translated : new Predicate[0], StatsFilter.of(translated, SCHEMA).predicates());
  }

  @Test
  void predicatesSparkCouldPushButStatisticsCannotDecideAreNotReported() {
    Predicate[] refused = {
        new AlwaysTrue(), new AlwaysFalse(),
        new Predicate("=", new org.apache.spark.sql.connector.expressions.Expression[] {
            Expressions.column("missing"), Expressions.literal(1)}),
        new Predicate("IS_NULL", new org.apache.spark.sql.connector.expressions.Expression[] {
            Expressions.column("i.x")}),
        new Predicate("=", new org.apache.spark.sql.connector.expressions.Expression[] {
            Expressions.literal(1), Expressions.literal(1)}),
    };
    for (Predicate p : refused) {
      assertEquals(0, StatsFilter.of(new Predicate[] {p}, SCHEMA).predicates().length, p.toString());
    }
  }

  @Test
  void keepsTheDecidablePredicatesInOrderAndSkipsWhenAnyRulesTheChunkOut() {
    Predicate i15 = pushed(eq(I, 15))[0];
    Predicate s = pushed(eq(S, "a"))[0];
    Predicate d10 = pushed(gt(D, 10.0))[0];
    StatsFilter filter = StatsFilter.of(new Predicate[] {i15, s, d10}, SCHEMA);
    assertArrayEquals(new Predicate[] {i15, d10}, filter.predicates());
    assertFalse(filter.isEmpty());
    assertTrue(StatsFilter.of(new Predicate[] {i15}, SCHEMA).mightMatch(chunk(stats(I, 10, 20), stats(D, -1.5, 2.5))));
    assertFalse(filter.mightMatch(chunk(stats(I, 10, 20), stats(D, -1.5, 2.5))));
    assertFalse(filter.mightMatch(chunk(stats(I, 30, 40), stats(D, 11.0, 12.0))));
    assertTrue(filter.mightMatch(chunk(stats(I, 10, 20), stats(D, 11.0, 12.0))));
  }

  @Test
  void noPredicatesReadEveryChunk() {
    StatsFilter none = StatsFilter.none(SCHEMA);
    assertTrue(none.isEmpty());
    assertEquals(0, none.predicates().length);
    assertTrue(none.mightMatch(chunk(allNull(I), allNull(D))));
    assertTrue(StatsFilter.of(new Predicate[0], SCHEMA).mightMatch(chunk(allNull(I))));
  }

  // ---- property: random chunks, random predicates

  /**
   * A chunk's statistics taken from its values as the writer takes them (NaN ignored but making
   * the max NaN), with a zero bound of either sign; a chunk holding a row that Spark finds
   * matching is never skipped.
   */
  @Property(tries = 3000)
  void noChunkHoldingAMatchingRowIsSkipped(@ForAll("chunks") List<Object[]> rows,
      @ForAll("predicates") Expression predicate, @ForAll boolean zeroSignsFlipped) {
    ColumnStats[] stats = new ColumnStats[NAMES.length];
    for (int c = 0; c < NAMES.length; c++) {
      stats[c] = statsOf(c, rows, zeroSignsFlipped);
    }
    boolean kept = StatsFilter.of(pushed(predicate), SCHEMA).mightMatch(chunk(rows.size(), stats));
    if (!kept && anyRowMatches(predicate, rows)) {
      throw new AssertionError("skipped a chunk holding a row that matches " + predicate.sql() + ": "
          + Arrays.toString(stats));
    }
  }

  static final Object[][] POOLS = {
      {Integer.MIN_VALUE, -1, 0, 1, 2, Integer.MAX_VALUE},
      {Long.MIN_VALUE, -1L, 0L, 1L, 2L, Long.MAX_VALUE},
      {Float.NEGATIVE_INFINITY, -1.5f, -0.0f, 0.0f, Float.MIN_VALUE, 1.5f, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
          Float.NaN},
      {Double.NEGATIVE_INFINITY, -1.5, -0.0, 0.0, Double.MIN_VALUE, 1.5, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
          Double.NaN},
      {Long.MIN_VALUE, T0 - 1, T0, T1, Long.MAX_VALUE},
      {"", "a", "ab", "b"},
      {false, true},
      {new float[0], new float[] {Float.NaN}},
  };

  @Provide
  Arbitrary<List<Object[]>> chunks() {
    List<Arbitrary<Object>> columns = new ArrayList<>();
    for (int c = 0; c < NAMES.length; c++) {
      columns.add(Arbitraries.of(POOLS[c]).injectNull(0.2));
    }
    return Combinators.combine(columns).as(List::toArray).list().ofMinSize(1).ofMaxSize(6);
  }

  @Provide
  Arbitrary<Expression> predicates() {
    return predicate(2);
  }

  static Arbitrary<Expression> predicate(int depth) {
    Arbitrary<Integer> column = Arbitraries.integers().between(I, B);
    Arbitrary<Expression> comparison = column.flatMap(c -> Combinators.combine(
        Arbitraries.integers().between(0, 5), literal(c), Arbitraries.of(false, true))
        .as((op, lit, flip) -> compare(op, flip ? lit : col(c), flip ? col(c) : lit)));
    Arbitrary<Expression> in = column.flatMap(c -> literal(c).list().ofMinSize(1).ofMaxSize(3)
        .map(ls -> new In(col(c), CollectionConverters.asScala(ls).toList())));
    Arbitrary<Expression> nullTest = Arbitraries.integers().between(I, V)
        .flatMap(c -> Arbitraries.of(isNull(c), isNotNull(c)));
    Arbitrary<Expression> stringMatch = literal(S).flatMap(lit -> Arbitraries.of(
        new StartsWith(col(S), lit), new EndsWith(col(S), lit), new Contains(col(S), lit)));
    Arbitrary<Expression> leaf = Arbitraries.frequencyOf(
        Tuple.of(6, comparison), Tuple.of(2, in), Tuple.of(2, nullTest), Tuple.of(1, stringMatch));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Expression> sub = Arbitraries.lazy(() -> predicate(depth - 1));
    return Arbitraries.frequencyOf(
        Tuple.of(4, leaf),
        Tuple.of(1, Combinators.combine(sub, sub).as(And::new)),
        Tuple.of(2, Combinators.combine(sub, sub).as(Or::new)),
        Tuple.of(1, sub.map(Not::new)));
  }

  static Arbitrary<Expression> literal(int c) {
    return Arbitraries.of(POOLS[c]).injectNull(0.1).map(v -> lit(c, v));
  }

  static Expression compare(int op, Expression left, Expression right) {
    switch (op) {
      case 0: return new EqualTo(left, right);
      case 1: return new EqualNullSafe(left, right);
      case 2: return new LessThan(left, right);
      case 3: return new LessThanOrEqual(left, right);
      case 4: return new GreaterThan(left, right);
      default: return new GreaterThanOrEqual(left, right);
    }
  }

  /** The statistics the writer records for a column of these rows. */
  static ColumnStats statsOf(int c, List<Object[]> rows, boolean zeroSignsFlipped) {
    long nulls = rows.stream().filter(r -> r[c] == null).count();
    List<Object> values = rows.stream().map(r -> r[c]).filter(v -> v != null).toList();
    switch (FORMAT_TYPES[c].kind()) {
      case INT32: case INT64: case TIMESTAMP_MICROS: case BOOL: {
        if (values.isEmpty()) {
          return ColumnStats.nullsOnly(nulls);
        }
        long[] longs = values.stream().mapToLong(v -> v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue())
            .toArray();
        return new ColumnStats(nulls, Arrays.stream(longs).min().getAsLong(), Arrays.stream(longs).max().getAsLong());
      }
      case FLOAT32: case FLOAT64: {
        boolean nan = values.stream().anyMatch(v -> Double.isNaN(((Number) v).doubleValue()));
        double[] numbers = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).filter(v -> !Double.isNaN(v))
            .toArray();
        if (numbers.length == 0) {
          return nan ? new ColumnStats(nulls, Double.NEGATIVE_INFINITY, NaN) : ColumnStats.nullsOnly(nulls);
        }
        double min = Arrays.stream(numbers).min().getAsDouble();
        double max = Arrays.stream(numbers).max().getAsDouble();
        if (max == 0.0) {
          max = zeroSignsFlipped ? -0.0 : 0.0;
        }
        if (min == 0.0) {
          min = zeroSignsFlipped ? 0.0 : -0.0;
        }
        return new ColumnStats(nulls, min, nan ? NaN : max);
      }
      default:
        return ColumnStats.nullsOnly(nulls);
    }
  }

  // ---- the oracle: Spark evaluates the predicate on rows

  /** What Spark pushes for one filter expression: its own translation, or nothing. */
  static Predicate[] pushed(Expression predicate) {
    scala.Option<Predicate> p = DataSourceV2Strategy$.MODULE$.translateFilterV2(predicate);
    return p.isDefined() ? new Predicate[] {p.get()} : new Predicate[0];
  }

  /** Whether Spark's interpreter finds the predicate true on some row (values in internal form, by column). */
  static boolean anyRowMatches(Expression predicate, List<Object[]> rows) {
    Expression bound = predicate.transform(PartialFunction$.MODULE$.fromFunction(e -> e instanceof AttributeReference a
        ? new BoundReference(Arrays.asList(NAMES).indexOf(a.name()), a.dataType(), true) : e));
    for (Object[] row : rows) {
      Object[] internal = new Object[row.length];
      for (int c = 0; c < row.length; c++) {
        internal[c] = internal(c, row[c]);
      }
      if (Boolean.TRUE.equals(bound.eval(new GenericInternalRow(internal)))) {
        return true;
      }
    }
    return false;
  }

  /** Every combination of the values the case's statistics allow, over the columns the predicate reads. */
  static List<Object[]> candidateRows(Case c) {
    List<Object[]> rows = new ArrayList<>();
    rows.add(new Object[NAMES.length]);
    for (int col : referenced(c.predicate)) {
      List<Object[]> next = new ArrayList<>();
      for (Object v : candidates(col, c.statsOf(col), literals(c.predicate, col))) {
        for (Object[] r : rows) {
          Object[] copy = r.clone();
          copy[col] = v;
          next.add(copy);
        }
      }
      rows = next;
    }
    return rows;
  }

  /**
   * Values a chunk with these statistics may hold in a column: the bounds, each literal and its
   * neighbours between them, both zeros, infinities and NaN where allowed; null if it has nulls.
   */
  static List<Object> candidates(int c, ColumnStats s, List<Object> literals) {
    Set<Object> values = new LinkedHashSet<>();
    if (s.nullCount() > 0) {
      values.add(null);
    }
    if (s.nullCount() >= ROWS) {
      return new ArrayList<>(values);
    }
    ColumnType.Kind kind = FORMAT_TYPES[c].kind();
    switch (kind) {
      case INT32: case INT64: case TIMESTAMP_MICROS: {
        long lo = kind == ColumnType.Kind.INT32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long hi = kind == ColumnType.Kind.INT32 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        long min = s.hasMinMax() ? s.min().longValue() : lo;
        long max = s.hasMinMax() ? s.max().longValue() : hi;
        TreeSet<Long> longs = new TreeSet<>(List.of(min, max, 0L));
        for (Object l : literals) {
          long x = ((Number) l).longValue();
          longs.add(x);
          longs.add(x == lo ? x : x - 1);
          longs.add(x == hi ? x : x + 1);
        }
        for (long x : longs.subSet(min, true, max, true)) {
          values.add(kind == ColumnType.Kind.INT32 ? (Object) (int) x : (Object) x);
        }
        break;
      }
      case FLOAT32: case FLOAT64: {
        boolean single = kind == ColumnType.Kind.FLOAT32;
        double min = s.hasMinMax() ? s.min().doubleValue() : Double.NEGATIVE_INFINITY;
        boolean nan = !s.hasMinMax() || Double.isNaN(s.max().doubleValue());
        double max = nan ? Double.POSITIVE_INFINITY : s.max().doubleValue();
        List<Double> numbers = new ArrayList<>(List.of(min, max, -0.0, 0.0, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY));
        for (Object l : literals) {
          double x = ((Number) l).doubleValue();
          numbers.add(x);
          numbers.add(single ? Math.nextUp((float) x) : Math.nextUp(x));
          numbers.add(single ? Math.nextDown((float) x) : Math.nextDown(x));
        }
        for (double x : numbers) {
          if (x >= min && x <= max) {
            values.add(single ? (Object) (float) x : (Object) x);
          }
        }
        if (nan) {
          values.add(single ? (Object) Float.NaN : (Object) Double.NaN);
        }
        break;
      }
      case UTF8:
        values.addAll(List.of("", "a", "b"));
        for (Object l : literals) {
          String x = (String) l;
          values.addAll(List.of(x, x + "a", x.isEmpty() ? x : x.substring(0, x.length() - 1)));
        }
        break;
      case BOOL:
        for (long x = s.hasMinMax() ? s.min().longValue() : 0; x <= (s.hasMinMax() ? s.max().longValue() : 1); x++) {
          values.add(x == 1);
        }
        break;
      default:
        values.add(new float[0]);
        values.add(new float[] {1f});
    }
    return new ArrayList<>(values);
  }

  /** The non-null literals of the predicate compared with the column, as test values. */
  static List<Object> literals(Expression e, int column) {
    List<Object> found = new ArrayList<>();
    if (e instanceof Literal l && l.value() != null && l.dataType().equals(SPARK_TYPES[column])) {
      found.add(external(column, l.value()));
    } else if (e instanceof InSet s && s.child().dataType().equals(SPARK_TYPES[column])) {
      for (Object v : CollectionConverters.asJava(s.hset())) {
        if (v != null) {
          found.add(external(column, v));
        }
      }
    }
    for (Expression child : CollectionConverters.asJava(e.children())) {
      found.addAll(literals(child, column));
    }
    return found;
  }

  static Set<Integer> referenced(Expression e) {
    Set<Integer> columns = new TreeSet<>();
    if (e instanceof AttributeReference a) {
      columns.add(Arrays.asList(NAMES).indexOf(a.name()));
    }
    for (Expression child : CollectionConverters.asJava(e.children())) {
      columns.addAll(referenced(child));
    }
    return columns;
  }

  // ---- building predicates: Catalyst expressions over the table's columns

  static final int MIN_I = Integer.MIN_VALUE, MAX_I = Integer.MAX_VALUE;
  static final long MIN_L = Long.MIN_VALUE, MAX_L = Long.MAX_VALUE;

  static Expression col(int c) {
    return COLUMNS[c];
  }

  /** A literal of the column's type, from a plain Java value. */
  static Expression lit(int c, Object v) {
    return new Literal(internal(c, v), SPARK_TYPES[c]);
  }

  static Object internal(int c, Object v) {
    if (v == null) {
      return null;
    }
    switch (FORMAT_TYPES[c].kind()) {
      case INT32: return ((Number) v).intValue();
      case INT64: case TIMESTAMP_MICROS: return ((Number) v).longValue();
      case FLOAT32: return ((Number) v).floatValue();
      case FLOAT64: return ((Number) v).doubleValue();
      case UTF8: return UTF8String.fromString((String) v);
      case BOOL: return (Boolean) v;
      default: {
        float[] list = (float[]) v;
        Object[] boxed = new Object[list.length];
        for (int i = 0; i < list.length; i++) {
          boxed[i] = list[i];
        }
        return new GenericArrayData(boxed);
      }
    }
  }

  static Object external(int c, Object v) {
    return v instanceof UTF8String u ? u.toString() : v;
  }

  static Expression eq(int c, Object v) {
    return new EqualTo(col(c), lit(c, v));
  }

  static Expression eq(Expression l, Expression r) {
    return new EqualTo(l, r);
  }

  static Expression eqNullSafe(int c, Object v) {
    return new EqualNullSafe(col(c), lit(c, v));
  }

  static Expression lt(int c, Object v) {
    return new LessThan(col(c), lit(c, v));
  }

  static Expression lt(Expression l, Expression r) {
    return new LessThan(l, r);
  }

  static Expression le(int c, Object v) {
    return new LessThanOrEqual(col(c), lit(c, v));
  }

  static Expression le(Expression l, Expression r) {
    return new LessThanOrEqual(l, r);
  }

  static Expression gt(int c, Object v) {
    return new GreaterThan(col(c), lit(c, v));
  }

  static Expression gt(Expression l, Expression r) {
    return new GreaterThan(l, r);
  }

  static Expression ge(int c, Object v) {
    return new GreaterThanOrEqual(col(c), lit(c, v));
  }

  static Expression ge(Expression l, Expression r) {
    return new GreaterThanOrEqual(l, r);
  }

  static Expression in(int c, Object... values) {
    List<Expression> list = new ArrayList<>();
    for (Object v : values) {
      list.add(lit(c, v));
    }
    return new In(col(c), CollectionConverters.asScala(list).toList());
  }

  @SuppressWarnings("unchecked")
  static Expression inSet(int c, Object... values) {
    Set<Object> set = new LinkedHashSet<>();
    for (Object v : values) {
      set.add(internal(c, v));
    }
    return new InSet(col(c), (scala.collection.immutable.Set<Object>) CollectionConverters.asScala(set).toSet());
  }

  static Expression isNull(int c) {
    return new IsNull(col(c));
  }

  static Expression isNotNull(int c) {
    return new IsNotNull(col(c));
  }

  static Expression startsWith(int c, String prefix) {
    return new StartsWith(col(c), lit(c, prefix));
  }

  static Expression and(Expression l, Expression r) {
    return new And(l, r);
  }

  static Expression or(Expression l, Expression r) {
    return new Or(l, r);
  }

  static Expression not(Expression e) {
    return new Not(e);
  }

  static Expression cast(int c, DataType to) {
    return new Cast(col(c), to, scala.Option.apply("UTC"), Cast.apply$default$4());
  }

  // ---- building chunks: statistics only

  /** One column's statistics in a table row. */
  record Stat(int column, long nulls, Number min, Number max) {
    Stat nulls(long n) {
      return new Stat(column, n, min, max);
    }

    ColumnStats stats() {
      return min == null ? ColumnStats.nullsOnly(nulls) : new ColumnStats(nulls, min, max);
    }

    @Override
    public String toString() {
      String range = nulls >= ROWS ? "all null" : min == null ? "no min/max" : "[" + min + ", " + max + "]";
      return NAMES[column] + " " + range + (nulls > 0 && nulls < ROWS ? " " + nulls + " nulls" : "");
    }
  }

  record Case(List<Stat> stats, Expression predicate, Outcome outcome) {
    ColumnStats statsOf(int column) {
      return stats.stream().filter(s -> s.column == column).findFirst().map(Stat::stats)
          .orElse(ColumnStats.nullsOnly(0));
    }

    ChunkDescriptor chunk() {
      return StatsFilterTest.chunk(stats.toArray(new Stat[0]));
    }

    @Override
    public String toString() {
      return stats + ": " + predicate.sql() + " -> " + outcome;
    }
  }

  static Stat stats(int c, Number min, Number max) {
    boolean integral = c != F && c != D;
    return new Stat(c, 0, integral ? (Number) min.longValue() : (Number) min.doubleValue(),
        integral ? (Number) max.longValue() : (Number) max.doubleValue());
  }

  static Stat allNull(int c) {
    return new Stat(c, ROWS, null, null);
  }

  static Stat noMinMax(int c) {
    return new Stat(c, 0, null, null);
  }

  static Case row(Stat s, Expression predicate, Outcome outcome) {
    return new Case(List.of(s), predicate, outcome);
  }

  static Case row(Stat s1, Stat s2, Expression predicate, Outcome outcome) {
    return new Case(List.of(s1, s2), predicate, outcome);
  }

  static Arguments pushed(Expression predicate, boolean pushed) {
    return Arguments.of(predicate, pushed);
  }

  /** A chunk of {@link #ROWS} rows with the given statistics; other columns have no nulls and no bounds. */
  static ChunkDescriptor chunk(Stat... stats) {
    ColumnStats[] columns = new ColumnStats[NAMES.length];
    Arrays.fill(columns, ColumnStats.nullsOnly(0));
    for (Stat s : stats) {
      columns[s.column] = s.stats();
    }
    return chunk(ROWS, columns);
  }

  static ChunkDescriptor chunk(int rows, ColumnStats[] stats) {
    List<ColumnChunk> columns = new ArrayList<>();
    for (ColumnStats s : stats) {
      columns.add(new ColumnChunk(0, 64, 0, ColumnEncoding.Lossless.NONE, rows, s, BufferRef.ABSENT, BufferRef.ABSENT,
          BufferRef.ABSENT));
    }
    return new ChunkDescriptor(0, 0, 0, 0, rows, columns);
  }
}
