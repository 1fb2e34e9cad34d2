package io.lazyq.cli;

import io.lazyq.sample.SensorDay;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** A PNG of one sensor's RMS vibration per ten-second window over the day, anomalies marked. */
final class VibrationChart {
  private VibrationChart() {}

  static Path draw(SparkSession spark, Path png, List<Row> anomalies, String sensor) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<Row> windows = spark.sql("SELECT floor(unix_micros(ts) / " + SensorDay.WINDOW_MICROS + ") AS win,"
        + " sqrt(avg(vibration * vibration)) AS rms FROM lazyq WHERE sensor = '" + sensor + "'"
        + " GROUP BY 1 ORDER BY 1").collectAsList();
    List<Double> hours = new ArrayList<>();
    List<Double> rms = new ArrayList<>();
    for (Row w : windows) {
      hours.add(hour(w.getLong(0) * SensorDay.WINDOW_MICROS));
      rms.add(w.getDouble(1));
    }
    XYChart chart = new XYChartBuilder().width(1200).height(450)
        .title("Sensor " + sensor + ": RMS vibration per 10 s window").xAxisTitle("hour (UTC)").yAxisTitle("RMS")
        .build();
    chart.getStyler().setLegendVisible(true);
    XYSeries line = chart.addSeries("rms", hours, rms);
    line.setMarker(SeriesMarkers.NONE);
    List<Double> ax = new ArrayList<>();
    List<Double> ay = new ArrayList<>();
    for (Row a : anomalies == null ? List.<Row>of() : anomalies) {
      if (a.getString(0).equals(sensor)) {
        ax.add(hour(a.getTimestamp(1).getTime() * 1000L));
        ay.add(a.getDouble(3));
      }
    }
    if (!ax.isEmpty()) {
      XYSeries marks = chart.addSeries("anomaly windows", ax, ay);
      marks.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      marks.setMarker(SeriesMarkers.CIRCLE);
      marks.setMarkerColor(java.awt.Color.RED);
    }
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    return png;
  }

  private static double hour(long micros) {
    return (micros - SensorDay.DAY_START_MICROS) / 3.6e9;
  }
}
