import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import enUS from './locales/en-US.json';
import zhCN from './locales/zh-CN.json';

export type Lang = 'en-US' | 'zh-CN';
export const LANGS: { value: Lang; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en-US', label: 'English' },
];

type Dict = Record<string, string>;
export const dictionaries: Record<Lang, Dict> = { 'en-US': enUS as Dict, 'zh-CN': zhCN as Dict };

const STORAGE_KEY = 'cloudphone.lang';

export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en-US' || saved === 'zh-CN') return saved;
  } catch { /* no storage */ }
  const nav = typeof navigator !== 'undefined' ? navigator.language : 'en-US';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en-US';
}

export interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: (key: string, vars?: Record<string, string | number>) => string;
  has: (key: string) => boolean;
}

export function makeTranslator(lang: Lang): Pick<I18n, 't' | 'has'> {
  const dict = dictionaries[lang];
  return {
    t: (key, vars) => {
      const s = dict[key];
      if (s === undefined) {
        if (import.meta.env?.DEV) console.warn(`i18n: missing ${lang} key ${key}`);
        return key;
      }
      return format(s, vars);
    },
    has: (key) => key in dict,
  };
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try { localStorage.setItem(STORAGE_KEY, l); } catch { /* ignore */ }
  }, []);
  useEffect(() => { document.documentElement.lang = lang; }, [lang]);
  const value = useMemo<I18n>(() => ({ lang, setLang, ...makeTranslator(lang) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
