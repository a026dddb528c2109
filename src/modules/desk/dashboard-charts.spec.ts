import { barChart, type BarChart, type DrawnCharts } from './dashboard-charts';

const chart = (values: number[]): BarChart => ({
  title: '各村的面积（亩）',
  alt: '各村的面积（亩）：柱状图，数字见图下的表格。',
  categories: ['王各村', '邹李村', '<闫庄村>'],
  series: [
    { name: '申报', values },
    { name: '村核实', values: values.map((value) => value / 2) },
    { name: '镇验收', values: values.map((value) => value / 4) },
  ],
  horizontal: true,
});

/** Relative luminance (WCAG) of a #rrggbb colour: what a grey-scale print keeps of it. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => {
    const c = Number.parseInt(hex.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe('the dashboard charts (ECharts SSR)', () => {
  it('draws an SVG with role=img, its text alternative and title, no script, escaped text', () => {
    const svg = barChart(chart([428.85, 148.95, 464.85]), new Map());
    expect(svg).toMatch(
      /^<svg role="img" aria-label="各村的面积（亩）：柱状图，数字见图下的表格。"/,
    );
    expect(svg).toContain('<title>各村的面积（亩）</title>');
    expect(svg).not.toMatch(/<script|<foreignObject|on\w+=/i);
    expect(svg).toContain('&lt;闫庄村&gt;');
    expect(svg).not.toContain('<闫庄村>');
  });

  it('gives each series a fill whose grey-scale luminance differs clearly from the others', () => {
    const svg = barChart(chart([10, 20, 30]), new Map());
    const fills = [
      ...new Set([...svg.matchAll(/<path d="[^"]*" fill="(#[0-9a-f]{6})"/gi)].map((m) => m[1])),
    ].filter((fill) => fill.toLowerCase() !== '#ffffff');
    const series = ['#e3eef9', '#86b9e0', '#3a78b5'];
    for (const colour of series) expect(fills).toContain(colour);
    const levels = series.map(luminance).sort((a, b) => a - b);
    for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1]).toBeGreaterThan(0.1);
    expect(svg).toMatch(/<pattern/); // the decal patterns
  });

  it('draws a chart of many bars one outlined path per series, no patterns, apart in grey scale', () => {
    const villages = Array.from({ length: 40 }, (_, i) => `村${i}`);
    const many: BarChart = {
      ...chart([]),
      categories: villages,
      series: ['申报', '村核实', '镇验收', '已登记'].map((name, s) => ({
        name,
        values: villages.map((_, i) => 100 + i * 7 + s),
      })),
    };
    const svg = barChart(many, new Map());
    expect(svg).not.toMatch(/<pattern/);
    const colours = ['#e3eef9', '#86b9e0', '#3a78b5', '#0b2447'];
    for (const colour of colours) {
      // The series' bars: one path, a sub-path per village, with the dark outline.
      const paths = [
        ...svg.matchAll(new RegExp(`<path d="([^"]*)" fill="${colour}" stroke="#1b1b1b"`, 'gi')),
      ];
      expect(paths.map((m) => m[1].split('Z').length - 1)).toContain(villages.length);
    }
    const levels = colours.map(luminance).sort((a, b) => a - b);
    for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1]).toBeGreaterThan(0.1);
    for (const village of villages) expect(svg).toContain(`>${village}<`);
    expect(svg).toMatch(/^<svg role="img" aria-label="/);
  });

  it('draws a single-series chart outlined, with neither a legend nor a pattern', () => {
    const svg = barChart(
      { ...chart([]), series: [{ name: '金额（元）', values: [2682500, 15342.82, 0] }] },
      new Map(),
    );
    expect(svg).not.toMatch(/<pattern/);
    expect(svg).not.toContain('金额（元）'); // no legend
    expect(svg).toMatch(/<path d="[^"]*" fill="#86b9e0" stroke="#1b1b1b"/);
  });

  it('keeps a drawing for the same numbers and draws anew when one changes', () => {
    const drawn: DrawnCharts = new Map();
    const first = barChart(chart([1, 2, 3]), drawn);
    expect(barChart(chart([1, 2, 3]), drawn)).toBe(first);
    expect(drawn.size).toBe(1);
    const changed = barChart(chart([1, 2, 4]), drawn);
    expect(changed).not.toBe(first);
    // The same drawing as a fresh one (bar the renderer's own ids and class names, zrN-…).
    const fresh = barChart(chart([1, 2, 4]), new Map());
    const plain = (svg: string) => svg.replace(/zr\d+-/g, 'zr-').replace(/cls-\d+/g, 'cls');
    expect(plain(changed)).toBe(plain(fresh));
    expect(plain(changed)).not.toBe(plain(first));
    for (let i = 0; i < 100; i++) barChart(chart([i, 0, 0]), drawn);
    expect(drawn.size).toBe(64);
  });
});
