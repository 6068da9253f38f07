/** A labelled select over a fixed list of choices. */
export function ChoiceField<T extends string>(p: { label: string; value: T; options: { value: T; label: string }[]; onChange: (v: T) => void; testId?: string; disabled?: boolean }) {
  return (
    <label>
      <span className="small muted">{p.label}</span>
      <select value={p.value} onChange={(e) => p.onChange(e.target.value as T)} disabled={p.disabled} data-testid={p.testId}>
        {p.options.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </select>
    </label>
  );
}
