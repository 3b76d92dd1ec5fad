// Cursor pagination as the tables use it: the server gives a next_cursor; going back needs the
// cursors of the pages already seen.

export interface PagerState {
  /** cursors[i] is the cursor that fetched page i (page 0: undefined). */
  cursors: (string | undefined)[];
  page: number;
  /** next_cursor of the page shown; undefined when it is the last. */
  next?: string;
}

export const initialPager: PagerState = { cursors: [undefined], page: 0 };

export type PagerAction =
  | { type: 'loaded'; next?: string }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'reset' };

export function pagerReducer(s: PagerState, a: PagerAction): PagerState {
  switch (a.type) {
    case 'loaded':
      return { ...s, next: a.next || undefined };
    case 'next':
      if (!s.next) return s;
      return { cursors: [...s.cursors.slice(0, s.page + 1), s.next], page: s.page + 1, next: undefined };
    case 'prev':
      if (s.page === 0) return s;
      return { cursors: s.cursors.slice(0, s.page), page: s.page - 1, next: undefined };
    case 'reset':
      return initialPager;
  }
}

export function currentCursor(s: PagerState): string | undefined {
  return s.cursors[s.page];
}
