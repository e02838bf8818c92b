// ECharts, loaded on demand (a separate chunk) so the first view does not wait for it.
// Only the parts used are imported. The charts draw what the API computed: no statistics here.

import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendPlainComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';
import type { CustomSeriesRenderItemAPI, CustomSeriesRenderItemParams } from 'echarts';
import type { FunnelResult, NpsRow, ThemeRow } from './api';
import { escapeHtml } from './dom';
import { formatCount, formatInterval, formatMonth, formatNps, formatNumber, formatPercent } from './format';
import { t, POSITIONS, type Lang, type Position } from './i18n';
import type { ThemeChartData } from './themes';

echarts.use([
  BarChart,
  CustomChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendPlainComponent,
  MarkLineComponent,
  TooltipComponent,
  LabelLayout,
  CanvasRenderer,
  SVGRenderer,
]);

type Chart = ReturnType<typeof echarts.init>;
const charts = new Map<HTMLElement, { chart: Chart; observer: ResizeObserver }>();

const INK = '#1f2933';
const MUTED = '#52606d';
const GRID = '#d9e2ec';
const LINE = '#0b5cad';
const BAND = 'rgba(11, 92, 173, 0.18)';

export const POSITION_COLOURS: Record<Position, string> = {
  'below_99.8': '#a50f15',
  below_95: '#d95f02',
  within: '#52606d',
  above_95: '#3a8a3f',
  'above_99.8': '#00561b',
};

/**
 * The chart of an element, made on first use. The theme charts are drawn as SVG (crisp in print,
 * and their labels are text in the page); the others on a canvas.
 */
function chartFor(el: HTMLElement, renderer: 'canvas' | 'svg' = 'canvas'): Chart {
  const known = charts.get(el);
  if (known && !known.chart.isDisposed()) return known.chart;
  const chart = echarts.init(el, undefined, {
    renderer,
    devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
  });
  const observer = new ResizeObserver(() => {
    if (el.clientWidth > 0 && !chart.isDisposed()) chart.resize();
  });
  observer.observe(el);
  charts.set(el, { chart, observer });
  return chart;
}

/** Frees every chart (on signing out, when the dashboard is removed). */
export function disposeCharts(): void {
  for (const { chart, observer } of charts.values()) {
    observer.disconnect();
    if (!chart.isDisposed()) chart.dispose();
  }
  charts.clear();
}

const baseText = { color: INK, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' };

export function renderTrend(el: HTMLElement, months: string[], rows: Map<string, NpsRow>, lang: Lang): void {
  const chart = chartFor(el);
  const value = (m: string, key: 'nps' | 'ci_low' | 'ci_high'): number | null => {
    const r = rows.get(m);
    return r && !r.suppressed && typeof r[key] === 'number' ? (r[key] as number) : null;
  };
  const low = months.map((m) => value(m, 'ci_low'));
  // The band's height on top of its lower edge (the stacked-area trick); gaps stay gaps.
  const height = months.map((m) => {
    const lo = value(m, 'ci_low');
    const hi = value(m, 'ci_high');
    return lo === null || hi === null ? null : hi - lo;
  });
  const nps = months.map((m) => value(m, 'nps'));
  chart.setOption(
    {
      animation: false,
      textStyle: baseText,
      grid: { left: 48, right: 40, top: 36, bottom: 56 },
      legend: { top: 0, textStyle: { color: INK }, data: [t(lang, 'col.nps'), t(lang, 'trend.band')] },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const list = params as { dataIndex: number }[];
          const i = list[0]?.dataIndex ?? 0;
          const m = months[i];
          const r = rows.get(m);
          const lines = [`<strong>${escapeHtml(formatMonth(lang, m))}</strong>`];
          if (!r) lines.push(escapeHtml(t(lang, 'trend.noAnswers')));
          else if (r.suppressed) lines.push(escapeHtml(t(lang, 'suppressed')));
          else {
            lines.push(`${escapeHtml(t(lang, 'col.nps'))}: ${escapeHtml(formatNps(lang, r.nps))}`);
            lines.push(`${escapeHtml(t(lang, 'col.interval'))}: ${escapeHtml(formatInterval(lang, r.ci_low, r.ci_high))}`);
            lines.push(`n = ${escapeHtml(formatCount(lang, r.n))}`);
          }
          return lines.join('<br>');
        },
      },
      xAxis: {
        type: 'category',
        data: months.map((m) => formatMonth(lang, m)),
        boundaryGap: false,
        axisLabel: { color: MUTED, hideOverlap: true },
        axisLine: { lineStyle: { color: MUTED } },
      },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { color: MUTED, formatter: (v: number) => formatNps(lang, v).replace(/[,.]0$/, '') },
        splitLine: { lineStyle: { color: GRID } },
      },
      series: [
        {
          name: 'ci-base',
          type: 'line',
          data: low,
          stack: 'ci',
          stackStrategy: 'all',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          silent: true,
          tooltip: { show: false },
          connectNulls: false,
        },
        {
          name: t(lang, 'trend.band'),
          type: 'line',
          data: height,
          stack: 'ci',
          stackStrategy: 'all',
          symbol: 'none',
          lineStyle: { opacity: 0 },
          areaStyle: { color: BAND },
          itemStyle: { color: BAND },
          silent: true,
          connectNulls: false,
        },
        {
          name: t(lang, 'col.nps'),
          type: 'line',
          data: nps,
          symbol: 'circle',
          symbolSize: 6,
          lineStyle: { color: LINE, width: 2 },
          itemStyle: { color: LINE },
          connectNulls: false,
        },
      ],
    },
    { notMerge: true },
  );
}

export function renderFunnel(el: HTMLElement, funnel: FunnelResult, lang: Lang, onSelect: (code: string) => void): void {
  const chart = chartFor(el);
  const shown = funnel.units.filter((u) => !u.suppressed && typeof u.n === 'number' && typeof u.nps === 'number');
  const ns = shown.map((u) => u.n as number);
  const maxN = ns.length ? Math.max(...ns) : 1;
  const minN = ns.length ? Math.min(...ns) : 1;
  const xMax = Math.ceil(maxN * 1.08);
  const parent = typeof funnel.parent.nps === 'number' ? funnel.parent.nps : null;
  const series: Record<string, unknown>[] = [];

  for (const position of POSITIONS) {
    const points = shown.filter((u) => u.position === position);
    series.push({
      name: t(lang, `position.${position}`),
      type: 'scatter',
      symbol: position.startsWith('below') ? 'triangle' : position.startsWith('above') ? 'triangle' : 'circle',
      symbolRotate: position.startsWith('below') ? 180 : 0,
      symbolSize: position === 'within' ? 9 : 12,
      itemStyle: { color: POSITION_COLOURS[position], borderColor: '#fff', borderWidth: 1 },
      data: points.map((u) => ({ value: [u.n, u.nps], name: u.name, code: u.code, position })),
      z: 5,
    });
  }
  const limitNames = { l95: t(lang, 'funnel.limits95'), l998: t(lang, 'funnel.limits998') };
  if (funnel.curve && funnel.curve.length > 0) {
    // Only the part of the funnel where there are units, so its wide mouth does not squash the plot.
    const curve = funnel.curve.filter((p) => p.n >= minN * 0.5 && p.n <= xMax);
    const line = (name: string, key: 'low95' | 'high95' | 'low998' | 'high998', dashed: boolean) => ({
      name,
      type: 'line',
      data: curve.map((p) => [p.n, p[key]]),
      symbol: 'none',
      silent: true,
      tooltip: { show: false },
      lineStyle: { color: dashed ? '#7b8794' : '#3e4c59', width: 1.5, type: dashed ? 'dashed' : 'solid' },
      itemStyle: { color: dashed ? '#7b8794' : '#3e4c59' },
      z: 2,
    });
    series.push(line(limitNames.l95, 'low95', true), line(limitNames.l95, 'high95', true));
    series.push(line(limitNames.l998, 'low998', false), line(limitNames.l998, 'high998', false));
  } else {
    // No curve from the server: each unit's own limits as short horizontal ticks.
    const ticks = (name: string, keys: ['low95', 'high95'] | ['low998', 'high998'], colour: string, size: number[]) => ({
      name,
      type: 'scatter',
      symbol: 'rect',
      symbolSize: size,
      silent: true,
      tooltip: { show: false },
      itemStyle: { color: colour },
      data: shown.flatMap((u) => (u.limits ? keys.map((k) => [u.n, u.limits![k]]) : [])),
      z: 3,
    });
    series.push(ticks(limitNames.l95, ['low95', 'high95'], '#7b8794', [12, 2]));
    series.push(ticks(limitNames.l998, ['low998', 'high998'], '#3e4c59', [16, 2]));
  }
  if (parent !== null) {
    series.push({
      name: t(lang, 'funnel.parent'),
      type: 'line',
      data: [
        [0, parent],
        [xMax, parent],
      ],
      symbol: 'none',
      silent: true,
      tooltip: { show: false },
      lineStyle: { color: LINE, width: 2 },
      itemStyle: { color: LINE },
      z: 4,
    });
  }
  const legendNames = [
    ...POSITIONS.filter((p) => shown.some((u) => u.position === p)).map((p) => t(lang, `position.${p}`)),
    ...(parent !== null ? [t(lang, 'funnel.parent')] : []),
    limitNames.l95,
    limitNames.l998,
  ];

  chart.setOption(
    {
      animation: false,
      textStyle: baseText,
      grid: { left: 52, right: 20, top: 84, bottom: 48 },
      legend: { top: 0, textStyle: { color: INK }, data: legendNames },
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const d = (p as { data: { value: [number, number]; name: string; position: Position } }).data;
          return [
            `<strong>${escapeHtml(d.name)}</strong>`,
            `n = ${escapeHtml(formatCount(lang, d.value[0]))}`,
            `${escapeHtml(t(lang, 'col.nps'))}: ${escapeHtml(formatNps(lang, d.value[1]))}`,
            escapeHtml(t(lang, `position.${d.position}`)),
          ].join('<br>');
        },
      },
      xAxis: {
        type: 'value',
        name: 'n',
        nameLocation: 'middle',
        nameGap: 28,
        min: 0,
        max: xMax,
        axisLabel: { color: MUTED, formatter: (v: number) => formatCount(lang, v), hideOverlap: true },
        splitLine: { lineStyle: { color: GRID } },
      },
      yAxis: {
        type: 'value',
        name: t(lang, 'col.nps'),
        scale: true,
        nameTextStyle: { align: 'right' },
        axisLabel: { color: MUTED, formatter: (v: number) => formatNps(lang, v).replace(/[,.]0$/, '') },
        splitLine: { lineStyle: { color: GRID } },
      },
      series,
    },
    { notMerge: true },
  );
  chart.off('click');
  chart.on('click', (p: { data?: unknown }) => {
    const code = (p.data as { code?: string } | undefined)?.code;
    if (code) onSelect(code);
  });
}

// ---------------------------------------------------------------- what the comments say

const BAR = 'rgba(11, 92, 173, 0.55)';
const WHISKER = '#102a43';
const DETRACTOR = '#b3261e';
const PROMOTER = '#2f7d32';
/** The same layout in both theme charts, so that their rows line up side by side. */
const THEME_GRID = { left: 8, right: 44, top: 52, bottom: 30, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' };

/** A compact legend that fits one line even in the half-page width of print; not a filter. */
const THEME_LEGEND = { top: 0, selectedMode: false, itemWidth: 16, itemHeight: 10, itemGap: 12, textStyle: { color: INK, fontSize: 11 } };

type ThemeSelect = (theme: string) => void;

function themeAxis(data: ThemeChartData): Record<string, unknown> {
  return {
    type: 'category',
    inverse: true, // the first theme on top
    data: data.labels,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: MUTED } },
    axisLabel: {
      interval: 0,
      color: INK,
      formatter: (label: string, index: number) => (data.suppressed[index] ? `{muted|${label}}` : label),
      rich: { muted: { color: MUTED, fontStyle: 'italic' } },
    },
  };
}

/** "Too few answers" written in the plot area of each suppressed theme's row. */
function suppressedLabels(data: ThemeChartData, lang: Lang, x: number): Record<string, unknown> {
  const rows = data.suppressed.map((s, i) => (s ? [x, i] : null)).filter((v): v is number[] => v !== null);
  return {
    type: 'custom',
    name: 'suppressed',
    silent: true,
    tooltip: { show: false },
    encode: { x: 0, y: 1 },
    data: rows,
    renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
      const [px, py] = api.coord([api.value(0), api.value(1)]);
      return {
        type: 'text',
        x: px + 6,
        y: py,
        style: { text: t(lang, 'suppressed'), fill: MUTED, fontStyle: 'italic', fontSize: 12, verticalAlign: 'middle' },
      };
    },
    z: 4,
  };
}

function themeTooltip(data: ThemeChartData, rows: ThemeRow[], lang: Lang) {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    formatter: (params: unknown) => {
      const i = (params as { dataIndex: number }[])[0]?.dataIndex ?? 0;
      const r = rows[i];
      if (!r) return '';
      const lines = [`<strong>${escapeHtml(data.labels[i])}</strong>`];
      if (r.suppressed) lines.push(escapeHtml(t(lang, 'suppressed')));
      else {
        lines.push(`${escapeHtml(t(lang, 'col.nps'))}: ${escapeHtml(formatNps(lang, r.nps))}`);
        lines.push(`${escapeHtml(t(lang, 'col.interval'))}: ${escapeHtml(formatInterval(lang, r.ci_low, r.ci_high))}`);
        lines.push(`n = ${escapeHtml(formatCount(lang, r.n))} (${escapeHtml(formatPercent(lang, r.share))} ${escapeHtml(t(lang, 'themes.share').toLowerCase())})`);
        lines.push(`${escapeHtml(t(lang, 'themes.detractorShare'))}: ${escapeHtml(formatPercent(lang, r.detractor_share))}`);
        lines.push(`${escapeHtml(t(lang, 'themes.promoterShare'))}: ${escapeHtml(formatPercent(lang, r.promoter_share))}`);
      }
      return lines.join('<br>');
    },
  };
}

function onThemeClick(chart: Chart, data: ThemeChartData, onSelect: ThemeSelect): void {
  chart.off('click');
  chart.on('click', (p: { dataIndex?: number; seriesName?: string; value?: unknown }) => {
    // Bars are indexed by theme; an error bar's value carries its theme's index.
    const index = p.seriesName === 'interval' && Array.isArray(p.value) ? Number(p.value[2]) : p.dataIndex;
    const theme = index === undefined ? undefined : data.themes[index];
    if (theme) onSelect(theme);
  });
}

/**
 * The NPS of the answers mentioning each theme as horizontal bars, with their 95% intervals as
 * error bars, against the NPS of all answers with a comment as a dashed reference line.
 */
export function renderThemeNps(el: HTMLElement, data: ThemeChartData, rows: ThemeRow[], lang: Lang, onSelect: ThemeSelect): void {
  const chart = chartFor(el, 'svg');
  const [lo, hi] = data.npsDomain;
  const names = { nps: t(lang, 'col.nps'), baseline: t(lang, 'themes.baseline') };
  const series: Record<string, unknown>[] = [
    {
      name: names.nps,
      type: 'bar',
      data: data.nps,
      barWidth: '55%',
      itemStyle: { color: BAR, borderRadius: 2 },
      cursor: 'pointer',
      markLine:
        data.baseline === null
          ? undefined
          : {
              silent: true,
              symbol: 'none',
              animation: false,
              lineStyle: { color: INK, type: 'dashed', width: 1.5 },
              // The axis is inverted (first theme on top): the line starts at the top.
              label: { show: true, position: 'start', color: INK, formatter: () => formatNps(lang, data.baseline) },
              data: [{ xAxis: data.baseline }],
            },
    },
    // The reference line's entry in the legend (the line itself is the bars' markLine).
    {
      name: names.baseline,
      type: 'line',
      data: [],
      symbol: 'none',
      silent: true,
      lineStyle: { color: INK, type: 'dashed', width: 1.5 },
      itemStyle: { color: INK },
    },
    {
      name: 'interval',
      type: 'custom',
      encode: { x: [0, 1], y: 2 },
      data: data.intervals,
      z: 3,
      cursor: 'pointer',
      renderItem: (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI) => {
        const index = api.value(2);
        const [x1, y] = api.coord([api.value(0), index]);
        const [x2] = api.coord([api.value(1), index]);
        const cap = Math.max(4, Math.min(10, (api.size!([0, 1]) as number[])[1] * 0.25));
        const style = { stroke: WHISKER, lineWidth: 1.5 };
        return {
          type: 'group',
          children: [
            { type: 'line', shape: { x1, y1: y, x2, y2: y }, style },
            { type: 'line', shape: { x1, y1: y - cap, x2: x1, y2: y + cap }, style },
            { type: 'line', shape: { x1: x2, y1: y - cap, x2, y2: y + cap }, style },
          ],
        };
      },
    },
    suppressedLabels(data, lang, lo),
  ];
  chart.setOption(
    {
      animation: false,
      textStyle: baseText,
      grid: THEME_GRID,
      legend: { ...THEME_LEGEND, data: data.baseline === null ? [names.nps] : [names.nps, names.baseline] },
      tooltip: themeTooltip(data, rows, lang),
      xAxis: {
        type: 'value',
        min: lo,
        max: hi,
        axisLabel: { color: MUTED, formatter: (v: number) => formatNumber(lang, v), hideOverlap: true },
        splitLine: { lineStyle: { color: GRID } },
      },
      yAxis: themeAxis(data),
      series,
    },
    { notMerge: true },
  );
  onThemeClick(chart, data, onSelect);
}

/** The shares of the detractors' and of the promoters' comments that mention each theme. */
export function renderThemeDrivers(el: HTMLElement, data: ThemeChartData, rows: ThemeRow[], lang: Lang, onSelect: ThemeSelect): void {
  const chart = chartFor(el, 'svg');
  const label = {
    show: true,
    position: 'right',
    fontSize: 11,
    color: INK,
    formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? formatPercent(lang, p.value) : ''),
  };
  const names = { detractors: t(lang, 'themes.detractors'), promoters: t(lang, 'themes.promoters') };
  chart.setOption(
    {
      animation: false,
      textStyle: baseText,
      grid: THEME_GRID,
      legend: { ...THEME_LEGEND, data: [names.detractors, names.promoters] },
      tooltip: themeTooltip(data, rows, lang),
      xAxis: {
        type: 'value',
        min: 0,
        max: data.shareMax,
        axisLabel: { color: MUTED, formatter: (v: number) => formatPercent(lang, v, 0), hideOverlap: true },
        splitLine: { lineStyle: { color: GRID } },
      },
      yAxis: themeAxis(data),
      series: [
        {
          name: names.detractors,
          type: 'bar',
          data: data.detractorShares,
          barGap: '10%',
          barCategoryGap: '30%',
          itemStyle: { color: DETRACTOR },
          label,
          labelLayout: { hideOverlap: true },
          cursor: 'pointer',
        },
        {
          name: names.promoters,
          type: 'bar',
          data: data.promoterShares,
          itemStyle: { color: PROMOTER },
          label,
          labelLayout: { hideOverlap: true },
          cursor: 'pointer',
        },
        suppressedLabels(data, lang, 0),
      ],
    },
    { notMerge: true },
  );
  onThemeClick(chart, data, onSelect);
}

/**
 * Fits every chart to the printed page (width in CSS pixels, height from the chart element's
 * data-print-height, as in the print style sheet) or, without a width, back to its box.
 */
export function resizeCharts(width?: number): void {
  for (const [el, { chart }] of charts) {
    if (chart.isDisposed()) continue;
    if (width === undefined) chart.resize();
    else if (el.clientWidth > 0) {
      chart.resize({
        width: Number(el.dataset.printWidth) || width,
        height: Number(el.dataset.printHeight) || el.clientHeight,
      });
    }
  }
}
