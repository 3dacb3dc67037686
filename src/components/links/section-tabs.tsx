import { hrefWith } from "../console/params";
import { LinkTabs } from "../console/tabs";

/** The two halves of the Links page: linking what is not linked, and the drift report of what is. */
export function LinksSectionTabs({ current, entity }: { current: "linking" | "drift"; entity?: string }) {
  return (
    <LinkTabs
      label="Links sections"
      tabs={[
        { href: "/links", label: "Link records", current: current === "linking" },
        { href: hrefWith("/links/drift", { entity }), label: "Drift report", current: current === "drift" },
      ]}
    />
  );
}
