import { Alert, Typography } from 'antd';
import { ApiError, describeError } from '../api/problem';
import { useI18n } from '../i18n';

export function useDescribeError() {
  const { t, has } = useI18n();
  return (err: unknown) => describeError(err, t, has);
}

/** An error in words, with the request id so an operator can find it in the logs. */
export function ErrorAlert({ error, style }: { error: unknown; style?: React.CSSProperties }) {
  const { t } = useI18n();
  const describe = useDescribeError();
  if (!error) return null;
  const rid = error instanceof ApiError ? error.requestId : undefined;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="error-alert"
      style={style}
      message={describe(error)}
      description={rid ? <Typography.Text type="secondary" copyable={{ text: rid }}>{t('errors.requestId', { id: rid })}</Typography.Text> : undefined}
    />
  );
}
