// CloudWatch's alarm evaluation as pure functions: compare the last N period values to the threshold, M of N
// breaching → ALARM, missing data per TreatMissingData, and reasons worded like CloudWatch's.
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface AlarmDef {
  name: string;
  statistic: string;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm?: number;
  threshold: number;
  comparison: string;
  treatMissingData?: string;
}

export interface Datapoint {
  t: number; // epoch ms of the period start
  v: number;
}

export interface Evaluation {
  state: AlarmState | "UNCHANGED";
  reason: string;
  reasonData: Record<string, unknown>;
}

const WORDS: Record<string, string> = {
  GreaterThanThreshold: "greater than",
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
  LessThanLowerOrGreaterThanUpperThreshold: "outside the band",
  GreaterThanUpperThreshold: "greater than the upper band",
  LessThanLowerThreshold: "less than the lower band",
};

export function breaches(comparison: string, v: number, threshold: number): boolean {
  switch (comparison) {
    case "GreaterThanThreshold":
      return v > threshold;
    case "GreaterThanOrEqualToThreshold":
      return v >= threshold;
    case "LessThanThreshold":
      return v < threshold;
    case "LessThanOrEqualToThreshold":
      return v <= threshold;
    default:
      return v > threshold;
  }
}

/** Java-like double formatting CloudWatch uses: 80 → "80.0", 95.25 → "95.25". */
export function fmtNumber(v: number): string {
  if (Number.isInteger(v)) return v.toFixed(1);
  return String(Number(v.toPrecision(15)));
}

/** dd/MM/yy HH:mm:ss in UTC, as in CloudWatch state reasons. */
export function fmtDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * points: the values of the evaluated periods that have data (any order); periods: N.
 * With missing data treated as "missing", only the periods that have data are judged (CloudWatch shrinks M to what
 * it has); none at all → INSUFFICIENT_DATA.
 */
export function evaluateAlarm(def: AlarmDef, points: Datapoint[], nowMs: number): Evaluation {
  const n = def.evaluationPeriods;
  const m = Math.min(def.datapointsToAlarm ?? n, n);
  const sorted = [...points].sort((a, b) => b.t - a.t).slice(0, n);
  const word = WORDS[def.comparison] ?? "greater than";
  const reasonData = {
    version: "1.0",
    queryDate: new Date(nowMs).toISOString().replace("Z", "+0000"),
    statistic: def.statistic,
    period: def.period,
    recentDatapoints: sorted.map((p) => p.v),
    threshold: def.threshold,
    evaluatedDatapoints: sorted.map((p) => ({ timestamp: new Date(p.t).toISOString().replace("Z", "+0000"), value: p.v })),
  };
  const missing = def.treatMissingData ?? "missing";
  if (sorted.length === 0) {
    const unknown = `${n} datapoint${n === 1 ? " was" : "s were"} unknown`;
    if (missing === "breaching")
      return {
        state: "ALARM",
        reason: `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? "" : "s"} and ${n} missing datapoint${n === 1 ? " was" : "s were"} treated as [Breaching].`,
        reasonData,
      };
    if (missing === "notBreaching")
      return {
        state: "OK",
        reason: `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? "" : "s"} and ${n} missing datapoint${n === 1 ? " was" : "s were"} treated as [NonBreaching].`,
        reasonData,
      };
    if (missing === "ignore") return { state: "UNCHANGED", reason: "", reasonData };
    return { state: "INSUFFICIENT_DATA", reason: `Insufficient Data: ${unknown}.`, reasonData };
  }
  const breaching = sorted.filter((p) => breaches(def.comparison, p.v, def.threshold));
  const needed = Math.min(m, sorted.length);
  const list = (ps: Datapoint[]) => `[${ps.map((p) => `${fmtNumber(p.v)} (${fmtDate(p.t)})`).join(", ")}]`;
  const th = fmtNumber(def.threshold);
  if (breaching.length >= needed) {
    const reason =
      n === 1
        ? `Threshold Crossed: 1 datapoint ${list(breaching)} was ${word} the threshold (${th}).`
        : `Threshold Crossed: ${breaching.length} out of the last ${sorted.length} datapoints ${list(breaching)} were ${word} the threshold (${th}) (minimum ${m} datapoint${m === 1 ? "" : "s"} for OK -> ALARM transition).`;
    return { state: "ALARM", reason, reasonData };
  }
  const ok = sorted.filter((p) => !breaches(def.comparison, p.v, def.threshold));
  const reason =
    n === 1
      ? `Threshold Crossed: 1 datapoint ${list(ok)} was not ${word} the threshold (${th}).`
      : `Threshold Crossed: ${ok.length} out of the last ${sorted.length} datapoints ${list(ok)} were not ${word} the threshold (${th}) (minimum 1 datapoint for ALARM -> OK transition).`;
  return { state: "OK", reason, reasonData };
}
