import { App as AntApp, ConfigProvider, theme as antdTheme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { I18nProvider, useI18n } from '../i18n';
import { ThemeModeProvider, useThemeMode } from '../theme';

function Inner({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  const { mode } = useThemeMode();
  return (
    <ConfigProvider
      locale={lang === 'zh-CN' ? zhCN : enUS}
      theme={{
        algorithm: mode === 'dark' ? antdTheme.darkAlgorithm : antdTheme.defaultAlgorithm,
        token: { colorPrimary: '#1677ff', borderRadius: 6 },
      }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Language, theme and Ant Design's context for a whole console. */
export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <I18nProvider>
      <ThemeModeProvider>
        <Inner>{children}</Inner>
      </ThemeModeProvider>
    </I18nProvider>
  );
}
