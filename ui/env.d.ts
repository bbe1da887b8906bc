/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** "1" installs the in-browser fake backend (development screenshots only). */
  readonly VITE_FAKE_BACKEND?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
