// Docker endpoints and registries of the development fake backend. The local socket answers, a
// TLS endpoint answers, an SSH one refuses the key, and the newest succeeded run becomes a
// docker-build that pushed its image, so the run page shows an image id and a digest.
import type { Endpoint } from "@/bindings/Endpoint";
import type { EndpointInfo } from "@/bindings/EndpointInfo";
import type { NewEndpoint } from "@/bindings/NewEndpoint";
import type { NewRegistry } from "@/bindings/NewRegistry";
import type { Registry } from "@/bindings/Registry";
import type { Run } from "@/bindings/Run";
import { fail } from "./fakeFail";

type Args = Record<string, unknown>;

function info(e: Endpoint): EndpointInfo {
  return {
    endpoint: e.name,
    url: e.url,
    engineVersion: "20.10.24+dfsg1",
    apiVersion: "1.41",
    clientApiVersion: "1.41",
    os: "Debian GNU/Linux 12 (bookworm)",
    osType: "linux",
    architecture: "x86_64",
    cpus: 8,
    memoryBytes: 16 * 2 ** 30,
    images: 42,
    containers: 5,
    containersRunning: 1,
    latencyMs: e.kind === "unix" ? 3 : 18,
  };
}

export function dockerHandlers(runs: Run[], empty: boolean): Record<string, (a: Args) => unknown> {
  const now = new Date().toISOString();
  const endpoints: Endpoint[] = empty
    ? []
    : [
        {
          name: "local",
          url: "unix:///var/run/docker.sock",
          kind: "unix",
          builtin: true,
          hasSshKey: false,
          createdAt: null,
        },
        {
          name: "build-box",
          url: "tcp://10.0.0.5:2376",
          kind: "tls",
          builtin: false,
          hasSshKey: false,
          createdAt: now,
        },
        {
          name: "pi",
          url: "ssh://deploy@pi.local",
          kind: "ssh",
          builtin: false,
          hasSshKey: true,
          createdAt: now,
        },
      ];
  const registries: Registry[] = empty
    ? []
    : [
        {
          name: "local",
          url: "localhost:5000",
          host: "localhost:5000",
          username: null,
          hasPassword: false,
          createdAt: now,
        },
        {
          name: "company",
          url: "https://registry.example.com",
          host: "registry.example.com",
          username: "ci",
          hasPassword: true,
          createdAt: now,
        },
      ];
  const built = runs.filter((r) => r.status === "succeeded").sort((a, b) => b.id - a.id)[0];
  if (built) {
    built.imageId = "sha256:3f1c9a7d2b4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";
    built.imageTags = [`localhost:5000/web:${built.number}`, "localhost:5000/web:latest"];
    built.imageDigest = "sha256:9b8a7c6d5e4f30211f2e3d4c5b6a79880f1e2d3c4b5a69788f7e6d5c4b3a2910";
  }
  const find = <T extends { name: string }>(list: T[], what: string, name: unknown): T => {
    const found = list.find((x) => x.name === name);
    if (!found) throw fail("not_found", `the ${what} ${String(name)} does not exist`);
    return found;
  };
  return {
    endpoint_list: () => endpoints,
    endpoint_add: (a) => {
      const n = a.endpoint as NewEndpoint;
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(n.name))
        throw fail("invalid", "invalid input", [
          {
            path: "name",
            code: "invalid",
            message: "a endpoint name holds 1 to 64 letters, digits, '-', '_' and '.'",
          },
        ]);
      if (!/^(unix|tcp|ssh):\/\//.test(n.url))
        throw fail("invalid", "invalid input", [
          {
            path: "url",
            code: "invalid",
            message: `\`${n.url}\` is not an endpoint URL: use unix:///path/docker.sock, tcp://HOST:PORT or ssh://USER@HOST`,
          },
        ]);
      const kind = n.url.startsWith("unix")
        ? "unix"
        : n.url.startsWith("ssh")
          ? "ssh"
          : n.tlsCa
            ? "tls"
            : "tcp";
      const e: Endpoint = {
        name: n.name,
        url: n.url,
        kind,
        builtin: false,
        hasSshKey: !!n.sshKey,
        createdAt: new Date().toISOString(),
      };
      endpoints.push(e);
      return e;
    },
    endpoint_test: (a) => {
      const e = find(endpoints, "Docker endpoint", a.name);
      if (e.kind === "ssh")
        throw fail(
          "docker_ssh_auth",
          `SSH authentication to ${e.url} was refused (root@pi.local: Permission denied (publickey,password).): check the user name, and that the endpoint's key (--ssh-key), or your own, is in the host's ~/.ssh/authorized_keys`,
          [],
          { url: e.url, cause: "root@pi.local: Permission denied (publickey,password)." },
        );
      if (e.kind === "tcp")
        throw fail(
          "docker_refused",
          `Docker is not reachable at ${e.url} (connection refused): nothing listens on that port; check the port, and that the daemon listens on TCP there (dockerd -H tcp://0.0.0.0:PORT) and is running`,
          [],
          { url: e.url },
        );
      return info(e);
    },
    endpoint_remove: (a) => {
      const i = endpoints.findIndex((e) => e.name === a.name && !e.builtin);
      if (i < 0) throw fail("not_found", `the Docker endpoint ${String(a.name)} does not exist`);
      endpoints.splice(i, 1);
      return null;
    },
    registry_list: () => registries,
    registry_add: (a) => {
      const n = a.registry as NewRegistry;
      const host = n.url.replace(/^https?:\/\//, "").split("/")[0] ?? "";
      const r: Registry = {
        name: n.name,
        url: n.url,
        host,
        username: n.username,
        hasPassword: !!n.password,
        createdAt: new Date().toISOString(),
      };
      registries.push(r);
      return r;
    },
    registry_test: (a) => {
      const r = find(registries, "registry", a.name);
      if (r.hasPassword)
        throw fail(
          "registry_refused",
          `the registry ${r.name} (${r.host}) refused the login (user ${r.username ?? ""}: HTTP 401 Unauthorized): check the user name and password (remove the registry and add it again with --username and --password-stdin)`,
          [],
          {
            registry: r.name,
            host: r.host,
            cause: `user ${r.username ?? ""}: HTTP 401 Unauthorized`,
          },
        );
      return {
        registry: r.name,
        host: r.host,
        status:
          "Login Succeeded (over plain HTTP: the Docker daemon pushes there only if it lists the registry as insecure; 127.0.0.0/8 is by default)",
      };
    },
    registry_remove: (a) => {
      const i = registries.findIndex((r) => r.name === a.name);
      if (i < 0) throw fail("not_found", `the registry ${String(a.name)} does not exist`);
      registries.splice(i, 1);
      return null;
    },
  };
}
