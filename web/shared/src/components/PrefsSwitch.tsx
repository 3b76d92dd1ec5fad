import { Segmented, Select, Space, Tooltip } from 'antd';
import { LANGS, useI18n, type Lang } from '../i18n';
import { useThemeMode, type ThemeMode } from '../theme';

/** The language and light/dark switches shown in every header and on the login pages. */
export function PrefsSwitch() {
  const { lang, setLang, t } = useI18n();
  const { mode, setMode } = useThemeMode();
  return (
    <Space size="small">
      <Select<Lang>
        size="small"
        value={lang}
        onChange={setLang}
        options={LANGS}
        aria-label={t('prefs.language')}
        data-testid="lang-switch"
        style={{ width: 110 }}
      />
      <Tooltip title={t('prefs.theme')}>
        <Segmented<ThemeMode>
          size="small"
          value={mode}
          onChange={setMode}
          data-testid="theme-switch"
          options={[
            { value: 'light', label: t('prefs.light') },
            { value: 'dark', label: t('prefs.dark') },
          ]}
        />
      </Tooltip>
    </Space>
  );
}
