export interface NavItem {
  href: string;
  label: string;
}

/** The admin console's sections, in menu order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { href: "/", label: "Overview" },
  { href: "/systems", label: "Systems" },
  { href: "/records", label: "Records" },
  { href: "/runs", label: "Runs" },
  { href: "/deliveries", label: "Deliveries" },
  { href: "/conflicts", label: "Conflicts" },
  { href: "/links", label: "Links" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings", label: "Settings" },
];

export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
