// ECharts, loaded on demand (a separate chunk) so the first view does not wait for it.
// Only the parts used are imported. The charts draw what the API computed: no statistics here.

import * as echarts from 'echarts/core';
import { LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendPlainComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { FunnelResult, NpsRow } from './api';
import { escapeHtml } from './dom';
import { formatCount, formatInterval, formatMonth, formatNps } from './format';
import { t, POSITIONS, type Lang, type Position } from './i18n';

echarts.use([LineChart, ScatterChart, GridComponent, LegendPlainComponent, TooltipComponent, CanvasRenderer]);

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

function chartFor(el: HTMLElement): Chart {
  const known = charts.get(el);
  if (known && !known.chart.isDisposed()) return known.chart;
  const chart = echarts.init(el, undefined, {
    renderer: 'canvas',
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

/**
 * Fits every chart to the printed page (width in CSS pixels, height from the chart element's
 * data-print-height, as in the print style sheet) or, without a width, back to its box.
 */
export function resizeCharts(width?: number): void {
  for (const [el, { chart }] of charts) {
    if (chart.isDisposed()) continue;
    if (width === undefined) chart.resize();
    else if (el.clientWidth > 0) chart.resize({ width, height: Number(el.dataset.printHeight) || el.clientHeight });
  }
}
