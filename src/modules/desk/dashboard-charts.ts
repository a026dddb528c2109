import * as echarts from 'echarts';

/**
 * The dashboard's charts, drawn on the server by Apache ECharts' SSR renderer into an SVG string
 * (no DOM, no canvas, no script in the page). Each series has its own lightness (a ramp from
 * light to dark, so the chart reads in grey scale, and a dark outline); a chart of several series
 * and a few dozen bars also gives each series its own decal pattern, a larger one (the
 * per-village charts: 40 villages × 4 series) relies on the ramp alone and draws a series as one
 * outlined path, which keeps the first view of the dashboard within the summary route's time
 * (docs/benchmarks.md).
 * The SVG carries `role="img"` with a text alternative, and the page prints the numbers in a
 * table beneath.
 */

/** Light → dark, each step clearly lighter or darker than the next in grey scale too. */
const RAMP = ['#cfe1f2', '#93c4e6', '#4f9bd0', '#2166ac', '#0d3b78', '#051c3d'] as const;
/**
 * Up to four series: far apart in lightness (CIE L* 94, 73, 49, 14; WCAG luminance steps of
 * 0.39, 0.27, 0.16), so a chart drawn without decal patterns still reads in grey scale.
 */
const FEW = ['#e3eef9', '#86b9e0', '#3a78b5', '#0b2447'] as const;

const FONT =
  'system-ui, PingFang SC, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif';
/** Narrow enough that a phone (336 px of content) scales it by no less than 0.7. */
const WIDTH = 480;
/** How many drawings a {@link DrawnCharts} keeps. */
const DRAWN_MAX = 64;
/**
 * Above this many bars a chart is drawn without decals, one path per series: each bar with a
 * pattern costs ~0.5 ms (a 160-bar chart ~120 ms against ~25 ms), for no reading the lightness
 * ramp does not already give.
 */
const PATTERNED_MAX_BARS = 60;

/** Charts drawn lately, by their input (least recently used first). */
export type DrawnCharts = Map<string, string>;

/** ECharts' own decal patterns, one per series: symbol and density differ, not only colour. */
const DECALS = [
  { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: 0 },
  { symbol: 'circle', symbolSize: 0.6, dashArrayX: [[6, 6]], dashArrayY: [6, 0] },
  { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 3], rotation: Math.PI / 4 },
  { symbol: 'triangle', symbolSize: 0.7, dashArrayX: [[8, 8]], dashArrayY: [8, 0] },
  { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: -Math.PI / 4 },
  { symbol: 'none' },
];

export interface BarSeries {
  name: string;
  values: number[];
}

export interface BarChart {
  /** The chart's title, also its text alternative's start. */
  title: string;
  alt: string;
  categories: string[];
  series: BarSeries[];
  /** Horizontal bars (long category names, many categories). */
  horizontal?: boolean;
  /** Counts: whole-number ticks. */
  counts?: boolean;
}

/**
 * An SVG string with its text alternative: a chart the page embeds as it is. Drawing is a pure
 * function of `chart`, and the costly part of the page (a village chart of a large project has
 * hundreds of bars), so `drawn` keeps the last DRAWN_MAX drawings by their input: a dashboard
 * opened again on unchanged numbers reuses them, a changed number draws anew.
 */
export function barChart(chart: BarChart, drawn: DrawnCharts): string {
  const key = JSON.stringify(chart);
  const kept = drawn.get(key);
  if (kept !== undefined) {
    drawn.delete(key); // most recently used last
    drawn.set(key, kept);
    return kept;
  }
  const svg = draw(chart);
  drawn.set(key, svg);
  if (drawn.size > DRAWN_MAX) drawn.delete(drawn.keys().next().value as string);
  return svg;
}

function draw(chart: BarChart): string {
  // A single series needs neither a legend nor a pattern: there is nothing to tell apart; its
  // bars take a middle tone, clear of the page's background without a pattern.
  const several = chart.series.length > 1;
  const colours = !several ? [FEW[1]] : chart.series.length <= FEW.length ? FEW : RAMP;
  const rows = chart.categories.length;
  const patterned = several && rows * chart.series.length <= PATTERNED_MAX_BARS;
  // Many bars: each series one path (ECharts' `large` mode), a third of the SVG and its cost.
  const large = rows * chart.series.length > PATTERNED_MAX_BARS;
  const height = chart.horizontal
    ? Math.max(180, 100 + rows * (18 + 12 * chart.series.length))
    : 320;
  const categoryAxis = {
    type: 'category' as const,
    data: chart.categories,
    axisLabel: { fontSize: 14, interval: 0, color: '#1b1b1b', width: 110, overflow: 'break' },
  };
  const valueAxis = {
    type: 'value' as const,
    axisLabel: { fontSize: 13, color: '#3a3a3a' },
    ...(chart.counts ? { minInterval: 1 } : {}),
  };
  const option: echarts.EChartsCoreOption = {
    animation: false,
    // The text alternative is ours (render below); ECharts' own would describe every bar.
    aria: { enabled: false },
    textStyle: { fontFamily: FONT },
    ...(several ? { legend: { top: 0, textStyle: { fontSize: 14, color: '#1b1b1b' } } } : {}),
    grid: {
      left: 8,
      right: 24,
      top: chart.series.length > 3 ? 64 : several ? 44 : 16,
      bottom: 8,
      containLabel: true,
    },
    xAxis: chart.horizontal ? valueAxis : categoryAxis,
    yAxis: chart.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: chart.series.map((series, index) => ({
      type: 'bar',
      name: series.name,
      data: series.values,
      // No hover states or tooltips in a static SVG.
      silent: true,
      ...(large ? { large: true, largeThreshold: 0 } : {}),
      itemStyle: {
        color: colours[index % colours.length],
        borderColor: '#1b1b1b',
        borderWidth: 1,
        ...(patterned
          ? { decal: { ...DECALS[index % DECALS.length], color: 'rgba(255,255,255,0.55)' } }
          : {}),
      },
    })),
  };
  const svg = render(option, height, chart.title, chart.alt);
  return large ? outlined(svg, colours.slice(0, chart.series.length)) : svg;
}

/**
 * Large mode draws a series' bars as one path without their outline (`borderColor` is not
 * applied there); the outline keeps the lightest fill visible on the page, so each series' path
 * gets it back (every sub-path, one per bar, is stroked).
 */
function outlined(svg: string, fills: readonly string[]): string {
  return svg.replace(
    /(<path d="[^"]*" fill="(#[0-9a-f]{6})")(?! stroke)/gi,
    (path: string, start: string, fill: string) =>
      fills.includes(fill.toLowerCase()) ? `${start} stroke="#1b1b1b" stroke-width="1"` : path,
  );
}

function render(option: echarts.EChartsCoreOption, height: number, title: string, alt: string) {
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width: WIDTH, height });
  try {
    instance.setOption(option);
    const svg = instance.renderToSVGString();
    // The root element: scales to the page's width (a phone), named for assistive technology.
    return svg
      .replace(
        /^<svg width="\d+" height="\d+"/,
        `<svg role="img" aria-label="${escapeAttribute(alt)}" style="width:100%;height:auto;max-width:${WIDTH}px" preserveAspectRatio="xMidYMid meet"`,
      )
      .replace(/(<svg[^>]*>)/, `$1<title>${escapeText(title)}</title>`);
  } finally {
    instance.dispose();
  }
}

function escapeText(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;');
}
