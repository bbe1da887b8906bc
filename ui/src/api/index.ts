// The typed API of the backend: one function per Tauri command, errors normalised to ApiError.
export * from "./app";
export * from "./apps";
export * from "./appsHelm";
export * from "./clusters";
export * from "./docker";
export * from "./desktop";
export * from "./errors";
export * from "./events";
export * from "./repos";
export * from "./runs";
export * from "./settings";
export * from "./templates";
export * from "./triggers";
export { hasBackend } from "./invoke";
export { httpClient, isBrowser, isDesktop, useHttpTransport } from "./invoke";
export { closeEventStream, listenEvent } from "./listen";
export * from "./access";
