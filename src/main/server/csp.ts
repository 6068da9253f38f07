// One policy for the desktop window and the browser mode: scripts only from ourselves; plotly
// sets inline styles, so style-src allows them; images may be data/blob URLs (chart export).
export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
