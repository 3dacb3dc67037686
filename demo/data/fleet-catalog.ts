// Fixed vocabulary of the sample fleet: companies, vessel names, people, and the 20 kinds
// of equipment a vessel carries (with their specifications, maintenance and critical parts).

export interface CompanySeed {
  name: string;
  registrationNumber: string;
  country: string;
  address: string;
  domain: string;
  flag: string;
  vesselTypes: string[];
  vessels: string[];
}

export const COMPANIES: CompanySeed[] = [
  {
    name: "Nordic Bulk Carriers AS",
    registrationNumber: "NO-918273645",
    country: "NO",
    address: "Strandkaien 12, 5013 Bergen, Norway",
    domain: "nordicbulk.no",
    flag: "Norway",
    vesselTypes: ["Bulk Carrier"],
    vessels: ["Nordic Fjell", "Nordic Havørn", "Nordic Isbjørn", "Nordic Lyngen", "Nordic Stord", "Nordic Varanger"],
  },
  {
    name: "Aegean Tankers S.A.",
    registrationNumber: "GR-094512783",
    country: "GR",
    address: "Akti Miaouli 47, 185 36 Piraeus, Greece",
    domain: "aegeantankers.gr",
    flag: "Greece",
    vesselTypes: ["Oil Tanker", "Chemical Tanker"],
    vessels: ["Aegean Dawn", "Aegean Spirit", "Kalymnos Star", "Milos Voyager", "Santorini Pride"],
  },
  {
    name: "Straits Reefer Lines Pte. Ltd.",
    registrationNumber: "SG-201912345K",
    country: "SG",
    address: "10 Anson Road #22-01, Singapore 079903",
    domain: "straitsreefer.sg",
    flag: "Singapore",
    vesselTypes: ["Reefer"],
    vessels: ["Straits Harmony", "Straits Jade", "Lion City Reefer", "Malacca Breeze", "Sentosa Frost"],
  },
  {
    name: "Baltic Feeder Services OÜ",
    registrationNumber: "EE-14785236",
    country: "EE",
    address: "Sadama 25, 10111 Tallinn, Estonia",
    domain: "balticfeeder.ee",
    flag: "Estonia",
    vesselTypes: ["Container Feeder", "General Cargo"],
    vessels: ["Baltic Tern", "Baltic Swift", "Saaremaa Trader", "Hiiumaa Link"],
  },
];

export const VESSEL_TYPES = ["Bulk Carrier", "Oil Tanker", "Reefer", "Container Feeder", "Chemical Tanker", "General Cargo"];

export const FIRST_NAMES = [
  "Lars", "Ingrid", "Nikos", "Eleni", "Wei", "Mei", "Andres", "Kadri", "Olav", "Sofia",
  "Rajesh", "Anita", "Jonas", "Maria", "Tomas", "Liis", "Dimitris", "Hanna", "Kenji", "Aylin",
];
export const LAST_NAMES = [
  "Hansen", "Berg", "Papadopoulos", "Georgiou", "Tan", "Lim", "Tamm", "Saar", "Nilsen", "Costa",
  "Kumar", "Sharma", "Lind", "Silva", "Novak", "Kask", "Vlachos", "Moller", "Sato", "Demir",
];

export interface EquipmentKind {
  name: string;
  category: string;
  manufacturer: string;
  model: string;
  code: string;
  /** specifications; `v` varies them per vessel */
  specs(v: number): Record<string, number | string>;
  schedule: Array<{ task: string; intervalDays: number }>;
  parts: Array<{ name: string; quantity: number }>;
}

const kind = (
  name: string,
  category: string,
  manufacturer: string,
  model: string,
  code: string,
  specs: (v: number) => Record<string, number | string>,
  schedule: Array<[string, number]>,
  parts: Array<[string, number]>,
): EquipmentKind => ({
  name,
  category,
  manufacturer,
  model,
  code,
  specs,
  schedule: schedule.map(([task, intervalDays]) => ({ task, intervalDays })),
  parts: parts.map(([n, quantity]) => ({ name: n, quantity })),
});

const auxEngine = (n: number) =>
  kind(`Auxiliary Engine No. ${n}`, "Power Generation", "Yanmar", "6EY18ALW", "AE", (v) => ({ power_kw: 720 + (v % 4) * 40, rpm: 900, cylinders: 6 }), [["Overhaul", 365], ["Lube oil change", 90]], [["Fuel injector", 6], ["Cylinder head gasket", 6]]);

export const EQUIPMENT_KINDS: EquipmentKind[] = [
  kind("Main Engine", "Propulsion", "MAN Energy Solutions", "6S50ME-C", "ME", (v) => ({ power_kw: 8500 + (v % 5) * 350, rpm: 117, cylinders: 6 }), [["Cylinder unit overhaul", 730], ["Fuel valve inspection", 180]], [["Fuel valve", 12], ["Piston ring set", 6], ["Exhaust valve spindle", 2]]),
  auxEngine(1),
  auxEngine(2),
  auxEngine(3),
  kind("Emergency Generator", "Power Generation", "Cummins", "KTA19-DM", "EG", (v) => ({ power_kw: 250 + (v % 3) * 25, rpm: 1800 }), [["Load test", 30], ["Battery check", 7]], [["Starter motor", 1], ["Fuel filter", 4]]),
  kind("Auxiliary Boiler", "Steam", "Alfa Laval", "Aalborg OM-TCi", "AB", (v) => ({ capacity_kg_h: 2500 + (v % 4) * 250, pressure_bar: 7 }), [["Burner inspection", 90], ["Internal survey", 912]], [["Burner nozzle", 2], ["Gauge glass", 2]]),
  kind("Fuel Oil Purifier", "Fuel Treatment", "Alfa Laval", "S-946", "FP", (v) => ({ throughput_l_h: 4000 + (v % 3) * 500, rpm: 7500 }), [["Bowl cleaning", 30], ["Major service", 365]], [["Bowl seal kit", 2], ["Gear set", 1]]),
  kind("Lube Oil Purifier", "Fuel Treatment", "Alfa Laval", "S-826", "LP", () => ({ throughput_l_h: 2200, rpm: 7500 }), [["Bowl cleaning", 30]], [["Bowl seal kit", 2]]),
  kind("Main Air Compressor", "Compressed Air", "Sperre", "HV2/200", "AC", (v) => ({ capacity_m3_h: 180 + (v % 2) * 20, pressure_bar: 30 }), [["Valve overhaul", 180]], [["Valve kit", 2], ["Piston rings", 4]]),
  kind("Ballast Pump", "Pumps", "Shinko", "GVD200-2M", "BP", (v) => ({ flow_m3_h: 500 + (v % 3) * 50, head_m: 30 }), [["Mechanical seal check", 180]], [["Mechanical seal", 1], ["Impeller", 1]]),
  kind("Fire Pump", "Safety", "Shinko", "RVP200MS", "FI", () => ({ flow_m3_h: 180, head_m: 90 }), [["Function test", 7], ["Overhaul", 365]], [["Mechanical seal", 1]]),
  kind("Bilge Pump", "Pumps", "Azcue", "BT-80/200", "BI", () => ({ flow_m3_h: 60, head_m: 35 }), [["Function test", 30]], [["Impeller", 1], ["Shaft seal", 1]]),
  kind("Steering Gear", "Steering", "Kawasaki", "FE21-4", "SG", (v) => ({ torque_knm: 1200 + (v % 4) * 100, rudder_angle_deg: 35 }), [["Hydraulic oil analysis", 90], ["Emergency steering drill", 90]], [["Hydraulic seal kit", 2], ["Pressure hose", 4]]),
  kind("Fresh Water Generator", "Auxiliary", "Alfa Laval", "JWP-26-C", "FW", (v) => ({ capacity_t_day: 25 + (v % 3) * 5 }), [["Plate cleaning", 180]], [["Plate gasket set", 1]]),
  kind("Oily Water Separator", "Environmental", "RWO", "SKIT/S-DEB 2.5", "OW", () => ({ capacity_m3_h: 2.5, ppm_limit: 15 }), [["Oil content meter calibration", 365]], [["Coalescer element", 2]]),
  kind("Sewage Treatment Plant", "Environmental", "Hamworthy", "ST-5A", "ST", (v) => ({ persons: 25 + (v % 3) * 5 }), [["Aeration check", 30]], [["Air blower", 1]]),
  kind("Incinerator", "Environmental", "TeamTec", "OG200C", "IN", () => ({ capacity_kw: 400 }), [["Refractory inspection", 180]], [["Burner nozzle", 2]]),
  kind("Anchor Windlass", "Deck Machinery", "Kawasaki", "HW-60", "AW", (v) => ({ pull_kn: 300 + (v % 2) * 40, chain_mm: 70 }), [["Brake test", 90], ["Greasing", 30]], [["Brake lining", 2]]),
  kind("Mooring Winch", "Deck Machinery", "Kawasaki", "HMW-20", "MW", () => ({ pull_kn: 200, drum: "split" }), [["Brake test", 90]], [["Brake lining", 2]]),
  kind("Lifeboat Davit", "Safety", "Schat-Harding", "SA-45", "LD", () => ({ swl_kn: 45 }), [["Load test", 1825], ["Wire renewal", 1825]], [["Fall wire", 2]]),
];
