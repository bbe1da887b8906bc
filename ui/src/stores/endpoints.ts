// Docker endpoints as the UI sees them, and the last "Test" answer of each (the daemon's details or
// the reason it cannot be reached), kept while the page is open.
import { defineStore } from "pinia";
import { endpointAdd, endpointList, endpointRemove, endpointTest } from "@/api";
import type { Endpoint } from "@/bindings/Endpoint";
import type { EndpointInfo } from "@/bindings/EndpointInfo";
import type { NewEndpoint } from "@/bindings/NewEndpoint";
import { useNamedResourceList, type TestResult } from "./namedResourceList";

export type EndpointTestResult = TestResult<{ ok: true; info: EndpointInfo }>;

export const useEndpointStore = defineStore("endpoints", () =>
  useNamedResourceList<Endpoint, NewEndpoint, EndpointInfo, { ok: true; info: EndpointInfo }>(
    { list: endpointList, add: endpointAdd, test: endpointTest, remove: endpointRemove },
    { passed: (info) => ({ ok: true, info }) },
  ),
);
