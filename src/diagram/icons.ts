/**
 * A small drawn icon and a colour for each kind of box: plain SVG shapes in a 20 x 20 square, so the
 * picture needs no font, image or network to show what each box is.
 */
import type { NodeKind } from "./types.js";

export interface KindStyle {
  /** Stroke and icon colour. */
  readonly color: string;
  /** Box fill. */
  readonly fill: string;
  /** SVG shapes of the icon, drawn in a 20 x 20 box with `currentColor`. */
  readonly icon: string;
}

const S = 'fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"';
const cylinder = `<ellipse cx="10" cy="4.5" rx="7" ry="2.5" ${S}/><path d="M3 4.5v11c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5v-11" ${S}/><path d="M3 10c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5" ${S}/>`;

const BLUE = { color: "#1f5fa8", fill: "#eef4fb" };
const GREEN = { color: "#23784b", fill: "#edf7f1" };
const ORANGE = { color: "#b35a00", fill: "#fdf3e8" };
const PURPLE = { color: "#6b3fa0", fill: "#f4effa" };
const RED = { color: "#b3261e", fill: "#fbeeed" };
const GREY = { color: "#555d66", fill: "#f3f4f5" };
const TEAL = { color: "#0f6e75", fill: "#eaf6f7" };

export const KIND_STYLES: Readonly<Record<NodeKind, KindStyle>> = {
  internet: {
    ...GREY,
    icon: `<circle cx="10" cy="10" r="8" ${S}/><ellipse cx="10" cy="10" rx="3.5" ry="8" ${S}/><path d="M2 10h16M3.5 5.5h13M3.5 14.5h13" ${S}/>`,
  },
  edge: { ...BLUE, icon: `<path d="M2 10h6M12 10h6M8 6l4 4-4 4" ${S}/><rect x="1.5" y="3" width="17" height="14" rx="2" ${S}/>` },
  route: { ...BLUE, icon: `<path d="M10 18V2M10 4h6l2 2.5-2 2.5h-6M10 10H4l-2 2.5L4 15h6" ${S}/>` },
  service: {
    ...GREEN,
    icon: `<rect x="2.5" y="3" width="15" height="6" rx="1.5" ${S}/><rect x="2.5" y="11" width="15" height="6" rx="1.5" ${S}/><path d="M5.5 6h.01M5.5 14h.01" ${S}/>`,
  },
  job: { ...TEAL, icon: `<circle cx="10" cy="10" r="8" ${S}/><path d="M10 5v5l3.5 2" ${S}/>` },
  postgres: { ...ORANGE, icon: cylinder },
  redis: { ...RED, icon: `<path d="M10 2l8 4-8 4-8-4z" ${S}/><path d="M2 10l8 4 8-4M2 14l8 4 8-4" ${S}/>` },
  bucket: { ...ORANGE, icon: `<path d="M2.5 5h15l-2 12.5h-11z" ${S}/><ellipse cx="10" cy="5" rx="7.5" ry="2" ${S}/>` },
  table: { ...ORANGE, icon: `<rect x="2" y="3" width="16" height="14" rx="1.5" ${S}/><path d="M2 7.5h16M2 12h16M8 3v14" ${S}/>` },
  external: { ...GREY, icon: `<path d="M5.5 15.5h9a3.5 3.5 0 0 0 .5-7A5 5 0 0 0 5.4 8 3.8 3.8 0 0 0 5.5 15.5z" ${S}/><path d="M10 9v5M8 11l2-2 2 2" ${S}/>` },
  static: { ...PURPLE, icon: `<path d="M5 2h7l4 4v12H5z" ${S}/><path d="M12 2v4h4M7.5 10h6M7.5 13h6" ${S}/>` },
  secret: { ...GREY, icon: `<circle cx="6.5" cy="10" r="4" ${S}/><path d="M10.5 10H18M15 10v3M18 10v2.5" ${S}/>` },
  alarm: { ...RED, icon: `<path d="M5 14V9a5 5 0 0 1 10 0v5l1.5 2h-13z" ${S}/><path d="M8.5 18h3" ${S}/>` },
  proxy: { ...BLUE, icon: `<path d="M3 6h11M11 3l3 3-3 3M17 14H6M9 11l-3 3 3 3" ${S}/>` },
  firewall: {
    ...RED,
    icon: `<rect x="2" y="3" width="16" height="14" rx="1" ${S}/><path d="M2 7.7h16M2 12.3h16M7 3v4.7M13 3v4.7M10 7.7v4.6M5 12.3V17M15 12.3V17" ${S}/>`,
  },
  balancer: { ...BLUE, icon: `<circle cx="10" cy="10" r="3" ${S}/><path d="M2 10h5M13 10l4-5M13 10h5M13 10l4 5" ${S}/>` },
  waf: { ...RED, icon: `<path d="M10 2l7 3v5c0 4-3 7-7 8-4-1-7-4-7-8V5z" ${S}/><path d="M7 10l2 2 4-4" ${S}/>` },
  nat: { ...BLUE, icon: `<rect x="4" y="4" width="12" height="12" rx="2" ${S}/><path d="M1 10h18M15 7l3 3-3 3" ${S}/>` },
  cdn: { ...PURPLE, icon: `<circle cx="10" cy="10" r="8" ${S}/><path d="M11 4l-4 7h4l-2 5" ${S}/>` },
  scheduler: {
    ...TEAL,
    icon: `<rect x="2.5" y="4" width="15" height="13" rx="1.5" ${S}/><path d="M2.5 8h15M6.5 2v4M13.5 2v4M6 11.5h2M9.5 11.5h2M13 11.5h1" ${S}/>`,
  },
  registry: { ...GREY, icon: `<path d="M10 2l8 4v8l-8 4-8-4V6z" ${S}/><path d="M2 6l8 4 8-4M10 10v8" ${S}/>` },
  cloud: { ...GREY, icon: `<path d="M5 16h10a4 4 0 0 0 .5-8A5.5 5.5 0 0 0 4.6 8.4 3.8 3.8 0 0 0 5 16z" ${S}/>` },
  network: {
    ...GREEN,
    icon: `<rect x="2" y="2" width="16" height="16" rx="2" ${S}/><circle cx="6" cy="6" r="1.5" ${S}/><circle cx="14" cy="14" r="1.5" ${S}/><path d="M7 7l6 6" ${S}/>`,
  },
  subnet: { ...BLUE, icon: `<rect x="2" y="4" width="16" height="12" rx="2" ${S}/><path d="M6 8h8M6 12h5" ${S}/>` },
  machine: { ...GREEN, icon: `<rect x="2" y="3" width="16" height="11" rx="1.5" ${S}/><path d="M7 17h6M10 14v3M5 7h10M5 10h6" ${S}/>` },
  cluster: { ...BLUE, icon: `<path d="M10 1.5l7.5 4.3v8.4L10 18.5l-7.5-4.3V5.8z" ${S}/><circle cx="10" cy="10" r="2.5" ${S}/>` },
};
