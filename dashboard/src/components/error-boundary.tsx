import { Alert, Button, Stack, Text } from '@mantine/core';
import { Component, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api-client.ts';

function ErrorPanel({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('app.error.title')} role="alert">
      <Stack gap="xs">
        <Text size="sm">{error.message}</Text>
        {isApiError(error) && error.requestId && (
          <Text size="xs" c="dimmed">
            {t('app.error.requestId', { id: error.requestId })}
          </Text>
        )}
        <Button variant="light" color="red" onClick={onRetry} w="fit-content">
          {t('app.error.retry')}
        </Button>
      </Stack>
    </Alert>
  );
}

/** A page that throws shows what went wrong (with the request id for support) instead of a blank screen. */
export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  override render() {
    if (this.state.error) return <ErrorPanel error={this.state.error} onRetry={() => this.setState({ error: null })} />;
    return this.props.children;
  }
}
