/** A small circled i that explains a term on hover and on keyboard focus (the title is also read out). */
export function InfoTip({ text, label }: { text: string; label?: string }) {
  return (
    <span className="info-tip" tabIndex={0} role="img" aria-label={label ? `${label}: ${text}` : text} title={text} data-testid="info-tip">
      i
    </span>
  );
}
