// The statistics page's charts, drawn by the vendored Apache ECharts (frontend/vendor/echarts,
// fetched and pinned by scripts/vendor-fetch). ECharts is loaded only when a chart is first
// drawn, so the board does not pay for it. Everything stays within the board's
// Content-Security-Policy: a canvas renderer, and tooltips drawn on the canvas (`richText`)
// rather than as HTML with inline styles. Every chart has its table next to it (the
// figures' numbers, for screen readers, print and copying); a chart only draws the numbers the
// server sent, with the server's labels.

const SCRIPT = "vendor/echarts/echarts.min.js";
const COLORS = ["#1b4f8a", "#1f7a3d", "#c07a00", "#b42318", "#6b4fa1", "#2a8a8a", "#5d6b7b"];

let loading = null;

/** The ECharts global, loading its script once. */
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = SCRIPT;
      script.onload = () => resolve(window.echarts);
      script.onerror = () => {
        loading = null;
        script.remove();
        reject(new Error("图表组件加载失败"));
      };
      document.head.append(script);
    });
  }
  return loading;
}

const charts = new Set();
let resizeObserver = null;

function watch(chart, node) {
  charts.add(chart);
  if (!resizeObserver) {
    resizeObserver = new ResizeObserver((entries) => {
      for (const entry of entries) entry.target.__chart?.resize();
    });
  }
  node.__chart = chart;
  resizeObserver.observe(node);
}

/** Dispose of the charts drawn inside `root` (before it is re-rendered or removed). */
export function disposeCharts(root) {
  for (const chart of [...charts]) {
    const node = chart.getDom();
    if (!root || root.contains(node)) {
      resizeObserver?.unobserve(node);
      delete node.__chart;
      chart.dispose();
      charts.delete(chart);
    }
  }
}

/**
 * Draw one chart into `node`.
 *
 * @param {HTMLElement} node an empty block with a height (statistics.css)
 * @param {{type: "BAR"|"HBAR"|"STACKED_BAR"|"LINE", title: string, categories: string[],
 *          series: {label: string, values: (number|null)[]}[], percent?: boolean}} spec
 * @param {(seriesIndex: number, dataIndex: number) => void} onPick a bar or point clicked
 */
export async function drawChart(node, spec, onPick) {
  const echarts = await loadECharts();
  if (!node.isConnected) return null;
  const horizontal = spec.type === "HBAR";
  const stacked = spec.type === "STACKED_BAR";
  const line = spec.type === "LINE";
  const valueAxis = {
    type: "value",
    minInterval: spec.percent ? undefined : 1,
    max: spec.percent ? 100 : undefined,
    axisLabel: { formatter: spec.percent ? "{value}%" : "{value}" },
  };
  const categoryAxis = {
    type: "category",
    data: spec.categories,
    inverse: horizontal, // a ranking reads top-down
    axisLabel: horizontal ? { width: 120, overflow: "truncate" } : { hideOverlap: true },
  };
  const series = spec.series.map((s) => ({
    name: s.label,
    type: line ? "line" : "bar",
    stack: stacked ? "total" : undefined,
    data: s.values,
    symbolSize: line ? 8 : undefined,
    barMaxWidth: 36,
    emphasis: { focus: "series" },
    label:
      !line && !stacked && (horizontal || spec.series.length === 1)
        ? {
            show: true,
            position: horizontal ? "right" : "top",
            fontSize: 11,
            formatter: spec.percent ? "{c}%" : "{c}",
          }
        : undefined,
  }));
  const chart = echarts.init(node, null, { renderer: "canvas", locale: "ZH" });
  chart.setOption({
    color: COLORS,
    animation: false, // drawn once, and printed as drawn
    aria: { enabled: true, label: { description: spec.title } },
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    grid: { left: 8, right: horizontal ? 48 : 16, top: spec.series.length > 1 ? 36 : 16, bottom: 8, containLabel: true },
    legend: spec.series.length > 1 ? { top: 0, type: "scroll" } : undefined,
    tooltip: {
      trigger: line ? "axis" : "item",
      renderMode: "richText", // an HTML tooltip would need inline styles the CSP forbids
      valueFormatter: spec.percent ? (v) => (v === null || v === undefined ? "—" : `${v}%`) : undefined,
    },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? categoryAxis : valueAxis,
    series,
  });
  chart.on("click", (params) => {
    if (params.componentType === "series") onPick(params.seriesIndex, params.dataIndex);
  });
  // the cursor says a bar opens its cases
  chart.getZr().on("mousemove", (event) => {
    chart.getZr().setCursorStyle(event.target ? "pointer" : "default");
  });
  watch(chart, node);
  return chart;
}

/** The chart drawn in `node`, if any (tests and print). */
export function chartOf(node) {
  return node.__chart || null;
}

/** Resize every chart (the page's width changed for print). */
export function resizeCharts() {
  for (const chart of charts) chart.resize();
}
