/** A candidate for a link: its name and key, then its score (green at 1.00, the same natural key) and why. */
export function CandidateLabel({ name, naturalKey, score, reason }: { name: string | null; naturalKey: string | null; score: number; reason: string }) {
  return (
    <div className="min-w-0">
      <span className="font-medium">{name ?? "(no name)"}</span> <span className="font-mono text-xs text-zinc-500">{naturalKey}</span>
      <span className="block text-xs text-zinc-600">
        score <span className={`font-semibold tabular-nums ${score === 1 ? "text-green-800" : ""}`}>{score.toFixed(2)}</span> · {reason}
      </span>
    </div>
  );
}
