import { connectionLostCode, type ApiError } from '../api/client';

interface Issue {
  path?: string;
  message?: string;
}

/**
 * Shows a failure where it happened: its message, and for files the file, row and column. `edit`
 * says the rows came from an editor, not a file: a refused row is then an edit not saved.
 */
export function ErrorNotice({ error, fileLabel, filePath, onDismiss, edit }: { error: ApiError; fileLabel?: string; filePath?: string; onDismiss?: () => void; edit?: boolean }) {
  // A call that never reached the engine says nothing about this panel: the app's one banner says it.
  if (error.code === connectionLostCode) return null;
  const d = error.details ?? {};
  // Browser uploads live under a temporary name: show the name the user chose instead.
  const tidy = (s: string) => (filePath && fileLabel ? s.split(filePath).join(fileLabel) : s);
  const file = typeof d.file === 'string' ? tidy(d.file) : undefined;
  const row = typeof d.row === 'number' ? d.row : undefined;
  const column = typeof d.column === 'string' ? d.column : undefined;
  const issues = Array.isArray(d.issues) ? (d.issues as Issue[]) : [];
  return (
    <div className="notice error" role="alert" data-code={error.code}>
      <div className="notice-head">
        <strong>{title(error.code, edit)}</strong>
        <code className="code">{error.code}</code>
        {onDismiss && (
          <button className="ghost small" onClick={onDismiss} aria-label="Dismiss error">
            ✕
          </button>
        )}
      </div>
      <p className="notice-message">{tidy(error.message)}</p>
      {(file || row != null || column) && (
        <dl className="where">
          {file && (
            <>
              <dt>File</dt>
              <dd data-testid="error-file">{file.split(/[\\/]/).pop()}</dd>
            </>
          )}
          {row != null && (
            <>
              <dt>Row</dt>
              <dd data-testid="error-row">{row}</dd>
            </>
          )}
          {column && (
            <>
              <dt>Column</dt>
              <dd data-testid="error-column">{column}</dd>
            </>
          )}
        </dl>
      )}
      {issues.length > 0 && (
        <ul className="issues">
          {issues.slice(0, 8).map((i, k) => (
            <li key={k}>
              <code>{i.path || '(input)'}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function title(code: string, edit = false): string {
  switch (code) {
    case 'FILE_FORMAT':
      return edit ? 'The edit could not be saved' : 'The file could not be imported';
    case 'INVALID_INPUT':
      return 'Some settings are not valid';
    case 'CONFLICT':
      return 'That already exists';
    case 'NOT_FOUND':
      return 'Not found';
    case 'INFEASIBLE':
      return 'No plan satisfies these constraints';
    case 'CANCELLED':
      return 'Cancelled';
    case 'TIMEOUT':
      return 'Took too long';
    default:
      return 'Something went wrong';
  }
}
