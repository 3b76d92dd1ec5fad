// RFC 9457 problem+json errors from the API, and how they become words for the user.

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  detail?: string;
  field?: string;
  instance?: string;
  request_id?: string;
  retry_after?: number;
}

/** An API call that failed: the server's problem, or a network failure (status 0). */
export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail || problem.title || problem.code);
    this.name = 'ApiError';
    this.problem = problem;
  }
  get status(): number { return this.problem.status; }
  get code(): string { return this.problem.code; }
  get field(): string | undefined { return this.problem.field; }
  get requestId(): string | undefined { return this.problem.request_id; }
}

/** Builds an ApiError from a fetch Response whose status is not 2xx. Never throws. */
export async function problemFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = undefined;
  const text = await res.text().catch(() => '');
  if (text) {
    try { body = JSON.parse(text); } catch { /* not JSON: keep the text as detail */ }
  }
  const requestId = res.headers.get('X-Request-ID') ?? undefined;
  if (body && typeof body === 'object' && typeof (body as Problem).code === 'string') {
    const p = body as Problem;
    return new ApiError({ ...p, status: p.status || res.status, request_id: p.request_id ?? requestId });
  }
  return new ApiError({
    status: res.status,
    code: `http_${res.status}`,
    detail: text && text.length < 300 ? text : res.statusText,
    request_id: requestId,
  });
}

export function networkError(err: unknown): ApiError {
  return new ApiError({
    status: 0,
    code: 'network_error',
    detail: err instanceof Error ? err.message : String(err),
  });
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;
export type HasKey = (key: string) => boolean;

/**
 * Words for an error: the translated message for its stable code when we have one, else the
 * server's own detail, else a message for the HTTP status. The field at fault is named.
 */
export function describeError(err: unknown, t: Translate, has: HasKey): string {
  if (!(err instanceof ApiError)) {
    return err instanceof Error ? err.message : String(err);
  }
  const p = err.problem;
  let msg: string;
  if (has(`errors.${p.code}`)) msg = t(`errors.${p.code}`);
  else if (p.detail) msg = p.detail;
  else if (has(`errors.http_${p.status}`)) msg = t(`errors.http_${p.status}`);
  else msg = t('errors.unknown', { status: p.status });
  if (p.field) {
    // Name the field unless the message already does.
    const fieldName = has(`fields.${p.field}`) ? t(`fields.${p.field}`) : p.field;
    const lower = msg.toLowerCase();
    if (!lower.includes(fieldName.toLowerCase()) && !lower.includes(p.field.toLowerCase())) {
      msg = `${msg} (${t('errors.field', { field: fieldName })})`;
    }
  }
  // The server's detail often says precisely what was wrong (e.g. a minimum length): keep it
  // next to a generic translation when the two differ.
  if (p.detail && has(`errors.${p.code}`) && p.code === 'invalid_field' && !msg.includes(p.detail)) {
    msg = `${msg}: ${p.detail}`;
  }
  return msg;
}
