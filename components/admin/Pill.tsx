/** A state in words, coloured by its value (admin.css styles `.pill[data-value=…]`). */
export function Pill({ value, title, children }: { value: string; title?: string; children?: string }) {
  return (
    <span className="pill" data-value={value} title={title}>
      {children ?? value}
    </span>
  );
}
