/** Grade numbers as the schools' data uses them: -1 is pre-kindergarten, 0 kindergarten, then 1–12. */
export function gradeLabel(grade: number): string {
  if (grade === -1) return "PK";
  if (grade === 0) return "K";
  return String(grade);
}

export function gradeRange(low: number, high: number): string {
  return low === high ? gradeLabel(low) : `${gradeLabel(low)}–${gradeLabel(high)}`;
}

const levelLabels: Record<string, string> = {
  early_childhood: "Early childhood",
  elementary: "Elementary",
  middle: "Middle",
  high: "High",
  k12: "K–12",
  alternative: "Alternative",
};

export function levelLabel(level: string): string {
  return levelLabels[level] ?? level;
}

/** "job_kind.name" or "kind-name" → "Job kind name". */
export function humanize(value: string): string {
  const words = value.replace(/[._-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const time = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}

const day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/** A calendar day (YYYY-MM-DD) as the reader writes dates; the day as given, whatever the time zone. */
export function formatDate(isoDay: string): string {
  const at = new Date(`${isoDay}T00:00:00Z`);
  return Number.isNaN(at.getTime()) ? isoDay : day.format(at);
}

export function formatTime(iso: string): string {
  return time.format(new Date(iso));
}

export function formatDuration(startIso: string, endIso: string | null): string {
  if (!endIso) return "—";
  const ms = new Date(endIso).getTime() - new Date(startIso).getTime();
  if (ms < 1000) return `${Math.max(ms, 0)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export function formatLatency(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

const numberFormat = new Intl.NumberFormat();
export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "created 3 · skipped 1": a job run's counts, most significant first as the server sent them. */
export function formatCounts(counts: Record<string, number> | null): string {
  if (!counts) return "—";
  const entries = Object.entries(counts);
  if (entries.length === 0) return "—";
  return entries.map(([key, value]) => `${humanize(key).toLowerCase()} ${formatNumber(value)}`).join(" · ");
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  const letters = (parts[0]?.[0] ?? "") + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "");
  return letters.toUpperCase() || "?";
}
