import { describe, expect, it } from 'vitest';
import { makeTranslator } from '../i18n';
import { ApiError, describeError, problemFromResponse } from './problem';

const en = makeTranslator('en-US');
const zh = makeTranslator('zh-CN');
const say = (e: unknown, tr = en) => describeError(e, tr.t, tr.has);

describe('problem+json to words', () => {
  it('uses the translation of a known code', () => {
    const e = new ApiError({ status: 403, code: 'account_disabled', detail: 'This account is disabled.' });
    expect(say(e)).toBe('This account is disabled. Contact an administrator.');
    expect(say(e, zh)).toBe('该账号已被禁用，请联系管理员。');
  });

  it("falls back to the server's detail, then to the status", () => {
    expect(say(new ApiError({ status: 418, code: 'teapot', detail: 'I am a teapot' }))).toBe('I am a teapot');
    expect(say(new ApiError({ status: 503, code: 'mystery' }))).toBe('The service is unavailable right now.');
    expect(say(new ApiError({ status: 599, code: 'mystery' }))).toBe('The request failed (HTTP 599).');
  });

  it('names the field at fault, translated, unless the message already does', () => {
    const weak = new ApiError({ status: 400, code: 'weak_password', field: 'password', detail: 'password must be at least 10 characters long' });
    expect(say(weak)).toBe('The password is too weak: use at least 10 characters.');
    const e = new ApiError({ status: 400, code: 'too_long', field: 'display_name', detail: 'too long' });
    expect(say(e)).toBe('too long (field: Display name)');
    expect(say(e, zh)).toBe('too long (字段：显示名称)');
  });

  it('keeps the detail of a generic invalid_field', () => {
    const e = new ApiError({ status: 400, code: 'invalid_field', field: 'username', detail: 'must be 3 to 32 characters' });
    expect(say(e)).toBe('A field is not valid. (field: Username): must be 3 to 32 characters');
  });

  it('reads a problem from a response', async () => {
    const res = new Response(JSON.stringify({ status: 409, code: 'username_taken', detail: 'taken', field: 'username', request_id: 'r1' }), {
      status: 409, headers: { 'Content-Type': 'application/problem+json' },
    });
    const e = await problemFromResponse(res);
    expect(e).toMatchObject({ status: 409, code: 'username_taken', field: 'username', requestId: 'r1' });
  });

  it('passes plain errors through', () => {
    expect(say(new Error('boom'))).toBe('boom');
  });
});
