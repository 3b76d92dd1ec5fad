// The console's layout, as a style element (the shared package ships no CSS files).
export const CONSOLE_CSS = `
.cp-console { display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
.cp-console-stage { display: flex; flex-direction: column; align-items: center; gap: 12px; flex: 1 1 360px; min-width: 300px; }
.cp-console-stage:fullscreen { background: #000; justify-content: center; }
.cp-console-screen { position: relative; width: 100%; height: 72vh; min-height: 420px; background: #000; border-radius: 16px; overflow: hidden; outline: none; touch-action: none; user-select: none; }
.cp-console-stage:fullscreen .cp-console-screen { height: calc(100vh - 72px); border-radius: 0; }
.cp-console-screen:focus-visible { box-shadow: 0 0 0 3px #1677ff88; }
.cp-console-media { width: 100%; height: 100%; object-fit: contain; display: block; cursor: pointer; }
.cp-console-overlay { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; background: #000a; color: #fff; }
.cp-console-overlay .ant-result-title, .cp-console-overlay .ant-result-subtitle { color: #fff; }
.cp-console-drop { box-shadow: 0 0 0 3px #52c41a; }
.cp-console-drop-hint { font-size: 18px; pointer-events: none; }
.cp-console-side { display: flex; flex-direction: column; gap: 12px; flex: 0 1 340px; min-width: 280px; }
`;
