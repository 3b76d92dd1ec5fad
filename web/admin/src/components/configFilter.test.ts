import { describe, expect, it } from 'vitest';
import { filterConfig } from './configFilter';

describe('configuration search', () => {
  const rows = [
    { key: 'gateway.port', value: '30000', masked: false },
    { key: 'auth.jwt_secret', value: '********', masked: true },
    { key: 'db.core_url', value: 'postgresql://cp:***@db/core', masked: true },
  ];

  it('keeps everything for an empty query', () => {
    expect(filterConfig(rows, '  ')).toEqual(rows);
  });

  it('matches keys and values, every word, ignoring case', () => {
    expect(filterConfig(rows, 'PORT').map((r) => r.key)).toEqual(['gateway.port']);
    expect(filterConfig(rows, 'postgresql core').map((r) => r.key)).toEqual(['db.core_url']);
    expect(filterConfig(rows, 'db secret')).toEqual([]);
    expect(filterConfig(rows, '30000').map((r) => r.key)).toEqual(['gateway.port']);
  });
});
