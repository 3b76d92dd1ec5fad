import { AppstoreOutlined } from '@ant-design/icons';
import { Avatar } from 'antd';
import { useEffect, useState } from 'react';
import type { Api } from '../api/endpoints';

// Icons need the bearer token, so they are fetched as blobs; one object URL per app and page load.
const cache = new Map<string, Promise<string | null>>();

export function AppIcon({ api, appId, size = 48 }: { api: Api; appId: string; size?: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    let p = cache.get(appId);
    if (!p) {
      p = api.apps.icon(appId).then((b) => URL.createObjectURL(b), () => null);
      cache.set(appId, p);
    }
    void p.then((u) => { if (live) setUrl(u); });
    return () => { live = false; };
  }, [api, appId]);
  return <Avatar shape="square" size={size} src={url ?? undefined} icon={url ? undefined : <AppstoreOutlined />} alt="" />;
}
