// Deterministic sample industries for the demo, and a cheap synthetic generator
// for benchmarks. System-neutral shape; each system maps it to its own fields.

export interface SampleIndustry {
  name: string;
  slug: string;
  description: string;
}

export type Placement = "dashboard" | "cms" | "both";

export interface SampleIndustryEntry {
  placement: Placement;
  /** the record as the dashboard holds it (placement dashboard/both) */
  dashboard?: SampleIndustry;
  /** the record as the CMS holds it (placement cms/both) */
  cms?: SampleIndustry;
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const ind = (name: string, description: string): SampleIndustry => ({ name, slug: slugify(name), description });

// [placement, name, description, (cms variant name, cms variant description)]
type Row = [Placement, string, string] | ["both", string, string, string, string];

const ROWS: Row[] = [
  ["dashboard", "Solar Panel Installation", "Design and installation of rooftop and ground-mounted solar PV systems."],
  ["dashboard", "Commercial Cleaning", "Contract cleaning of offices, retail units and industrial premises."],
  ["both", "Roofing", "Repair and replacement of pitched and flat roofs.", "Roofing Services", "Repair, replacement and maintenance of pitched and flat roofs for homes and businesses."],
  ["dashboard", "Marine Engineering", "Installation and repair of propulsion, power and onboard systems for vessels."],
  ["cms", "Web Design", "Design and build of websites for small and medium-sized businesses."],
  ["dashboard", "Plumbing", "Installation and repair of water supply, heating and drainage pipework."],
  ["both", "Bricklaying", "Construction and repair of brick and block walls, chimneys and garden structures."],
  ["dashboard", "Electrical Contracting", "Wiring, rewiring and electrical installation work for buildings."],
  ["dashboard", "HVAC Maintenance", "Servicing of heating, ventilation and air-conditioning equipment."],
  ["cms", "Accounting", "Bookkeeping, payroll and annual accounts for sole traders and companies."],
  ["dashboard", "Landscaping", "Design and construction of gardens, patios and outdoor spaces."],
  ["both", "Drainage Services", "Unblocking, CCTV surveying and repair of drains and sewers."],
  ["dashboard", "Pest Control", "Removal and prevention of rodents, insects and birds on residential and commercial sites."],
  ["dashboard", "Interior Design", "Planning and styling of residential and commercial interiors."],
  ["both", "Heat Pump Installation", "Supply and fitting of air-source and ground-source heat pumps."],
  ["cms", "Legal Services", "Advice and representation on contracts, property and employment law."],
  ["dashboard", "Architecture", "Building design, planning applications and construction drawings."],
  ["dashboard", "Civil Engineering", "Design and delivery of roads, bridges, drainage and earthworks."],
  ["both", "Kitchen Fitting", "Installation of fitted kitchens, worktops and appliances.", "Kitchen Fitters", "Fitting of new kitchens including units, worktops and integrated appliances."],
  ["dashboard", "Carpentry", "Joinery, framing and bespoke woodwork for homes and businesses."],
  ["dashboard", "Painting and Decorating", "Interior and exterior painting, wallpapering and surface preparation."],
  ["cms", "Recruitment", "Sourcing and placement of permanent and temporary staff."],
  ["both", "Yacht Brokerage", "Sale and purchase of new and pre-owned yachts on behalf of owners."],
  ["dashboard", "Flooring Installation", "Fitting of wood, laminate, vinyl, tile and carpet floors."],
  ["dashboard", "Window Cleaning", "Cleaning of windows, frames and glazing on homes and commercial buildings."],
  ["both", "Offshore Wind Services", "Installation, inspection and maintenance support for offshore wind farms."],
  ["dashboard", "Security Systems", "Installation and monitoring of alarms, CCTV and access control."],
  ["cms", "Photography", "Commercial, product and event photography."],
  ["dashboard", "Fire Protection", "Fire alarms, extinguishers, sprinklers and fire risk assessments."],
  ["both", "Ship Chandlery", "Supply of provisions, spares and equipment to ships in port."],
  ["dashboard", "Waste Management", "Collection, recycling and disposal of commercial and industrial waste."],
  ["dashboard", "Scaffolding", "Erection and hire of scaffolding for construction and maintenance."],
  ["both", "Concrete Contracting", "Formwork, pouring and finishing of concrete slabs and structures."],
  ["cms", "Physiotherapy", "Assessment and treatment of injuries and mobility problems."],
  ["dashboard", "Demolition", "Safe demolition and site clearance of buildings and structures."],
  ["dashboard", "Glazing", "Supply and installation of windows, doors and glass panels."],
  ["both", "Fencing", "Installation and repair of timber, metal and security fencing."],
  ["dashboard", "Locksmith Services", "Lock fitting, emergency entry and key cutting."],
  ["dashboard", "Pool Maintenance", "Cleaning, water treatment and equipment servicing for swimming pools."],
  ["cms", "Veterinary Services", "Medical care, surgery and vaccinations for pets and farm animals."],
  ["both", "Garage Door Repair", "Repair, automation and replacement of garage doors."],
  ["dashboard", "Tree Surgery", "Pruning, felling and stump removal by qualified arborists."],
  ["dashboard", "Asbestos Removal", "Surveying and licensed removal of asbestos-containing materials."],
  ["dashboard", "Elevator Maintenance", "Inspection, servicing and repair of lifts and escalators."],
  ["both", "Damp Proofing", "Diagnosis and treatment of rising damp, condensation and water ingress."],
  ["cms", "Dental Practice", "General and cosmetic dentistry for private and NHS patients."],
  ["dashboard", "Industrial Automation", "Design and integration of PLC, robotics and control systems."],
  ["dashboard", "Logistics and Freight", "Road, sea and air freight forwarding and warehousing."],
  ["dashboard", "Vehicle Fleet Maintenance", "Servicing and repair of commercial vehicle fleets."],
  ["dashboard", "Event Catering", "Food and drink service for corporate events and weddings."],
];

export const SAMPLE_INDUSTRIES: readonly SampleIndustryEntry[] = ROWS.map((row): SampleIndustryEntry => {
  const [placement, name, description] = row;
  const base = ind(name, description);
  if (placement === "dashboard") return { placement, dashboard: base };
  if (placement === "cms") return { placement, cms: base };
  const cms = row.length === 5 ? ind(row[3], row[4]) : { ...base };
  return { placement, dashboard: base, cms };
});

/** The demo split: ~30 dashboard-only, 8 CMS-only, 12 in both (2 with different names), lead-centre empty. */
export function sampleIndustries(): { dashboard: SampleIndustry[]; cms: SampleIndustry[]; leadCentre: SampleIndustry[] } {
  return {
    dashboard: SAMPLE_INDUSTRIES.flatMap((e) => (e.dashboard ? [{ ...e.dashboard }] : [])),
    cms: SAMPLE_INDUSTRIES.flatMap((e) => (e.cms ? [{ ...e.cms }] : [])),
    leadCentre: [],
  };
}

const QUALIFIERS = [
  "Commercial", "Residential", "Industrial", "Marine", "Mobile", "Emergency", "Specialist", "Eco",
  "Coastal", "Urban", "Rural", "Heritage", "Offshore", "Precision", "Modular", "Rapid",
];
const TRADES = [
  "Plumbing", "Roofing", "Cleaning", "Welding", "Glazing", "Fencing", "Painting", "Surveying",
  "Joinery", "Electrics", "Insulation", "Drainage", "Paving", "Rigging", "Coating", "Inspection",
  "Haulage", "Catering", "Signage", "Upholstery",
];

/**
 * `n` distinct synthetic industries (index `offset`…`offset+n-1`); deterministic and cheap.
 * Names look like "Marine Welding 42"; slugs are unique ("marine-welding-42").
 */
export function generateIndustries(n: number, offset = 0): SampleIndustry[] {
  const out: SampleIndustry[] = new Array<SampleIndustry>(Math.max(0, n));
  const combos = QUALIFIERS.length * TRADES.length;
  for (let k = 0; k < n; k++) {
    const i = offset + k;
    const q = QUALIFIERS[i % QUALIFIERS.length]!;
    const t = TRADES[Math.floor(i / QUALIFIERS.length) % TRADES.length]!;
    const round = Math.floor(i / combos) + 1;
    const name = `${q} ${t} ${round}`;
    out[k] = {
      name,
      slug: `${q}-${t}-${round}`.toLowerCase(),
      description: `${q} ${t.toLowerCase()} services, synthetic record #${i}.`,
    };
  }
  return out;
}

/** Deterministic timestamp number `i` of a series (sample data and synthetic records). */
export function seriesTime(i: number, baseIso: string, stepMs: number): string {
  return new Date(Date.parse(baseIso) + i * stepMs).toISOString();
}
