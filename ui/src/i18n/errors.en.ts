// English texts of backend errors, by their stable code (ErrorCode, generated from Rust): a short
// status for a table cell and a sentence with the error's params. The backend's own English message
// stays available behind "Details". Merged into every locale as `apiErrors` by i18n/index.ts.
const errorsEn = {
  details: "Details",
  what: {
    template: "template",
    run: "run",
    repository: "repository",
    endpoint: "Docker endpoint",
    registry: "registry",
    cluster: "cluster",
    secret: "secret",
    setting: "setting",
  },
  short: {
    not_found: "Not found",
    invalid: "Invalid input",
    conflict: "Conflict",
    docker_not_running: "Docker not running",
    docker_refused: "Connection refused",
    docker_permission: "Permission denied",
    docker_unreachable: "Cannot reach",
    docker_timeout: "No answer",
    docker_tls: "TLS failed",
    docker_tls_required: "TLS required",
    docker_tls_files: "Bad TLS files",
    docker_ssh_auth: "SSH login refused",
    docker_ssh: "SSH failed",
    docker_daemon: "Error answer",
    registry_unreachable: "Cannot reach",
    registry_refused: "Login refused",
    registry_login_required: "Login required",
    registry_not_a_registry: "Not a registry",
    registry: "Login failed",
    kubectl_missing: "kubectl missing",
    cluster_context_unknown: "Unknown context",
    cluster_unreachable: "Cannot reach",
    cluster_tls: "TLS failed",
    cluster_unauthorized: "Unauthorized",
    cluster: "Failed",
    helm: "Helm failed",
    unauthenticated: "Not signed in",
    forbidden: "Not allowed",
    not_granted: "Not granted",
    locked: "Account locked",
  },
  text: {
    not_found: "There is no {what} called {name}.",
    conflict: "A {what} named {name} already exists, or it is still in use. Choose another name.",
    already_ended: "Run {id} has already ended ({status}); there is nothing to cancel.",
    data_dir: "The data directory {path} cannot be used: {cause}.",
    secret_missing:
      "The secret {name} is not stored. Store it again on the Secrets page or with `scicd secret set {name}`.",
    docker_not_running: "Docker is not reachable at {url}. Is the daemon running?",
    docker_refused:
      "Nothing listens at {url} (connection refused). Check the port, and that the Docker daemon runs and listens on TCP there.",
    docker_permission:
      "This user may not open the Docker socket {url}. Add it to the docker group, then log in again.",
    docker_unreachable:
      "Docker is not reachable at {url} ({cause}). Check the address, that the daemon listens there and that no firewall is in the way.",
    docker_timeout:
      "Docker at {url} did not answer within {seconds} s. Check the address and the network.",
    docker_tls:
      "The TLS handshake with {url} failed ({cause}). Check the endpoint's CA certificate, client certificate and key.",
    docker_tls_required:
      "The Docker daemon at {url} requires TLS. Remove the endpoint and add it again with its certificates.",
    docker_tls_files: "The TLS files of endpoint {endpoint} cannot be used: {cause}.",
    docker_ssh_auth:
      "SSH refused the login to {url} ({cause}). Check the user name and that the key is in the host's authorized_keys.",
    docker_ssh: "Docker cannot be reached through SSH at {url}: {cause}.",
    docker_daemon: "The server at {url} answered with an error: {cause}.",
    registry_unreachable:
      "The registry {registry} is not reachable at {host} ({cause}). Check its address and that it is running.",
    registry_refused:
      "The registry {registry} ({host}) refused the login ({cause}). Check the user name and password.",
    registry_login_required:
      "The registry {registry} ({host}) requires a login. Remove it and add it again with a user name and password.",
    registry_not_a_registry:
      "{host} answered {cause}. Is it a Docker registry (API v2)? Check the address of {registry}.",
    kubectl_missing:
      "kubectl is not installed ({looked}). Install kubectl, or give its path in the kube.kubectl setting.",
    cluster_context_unknown:
      "The kubeconfig context {context} does not exist in {kubeconfig}. Remove the cluster and add it again with one of its contexts.",
    cluster_unreachable:
      "The Kubernetes API server {server} is not reachable ({cause}). Check that the cluster is running and that the kubeconfig's address and port are right.",
    cluster_tls:
      "The TLS handshake with the Kubernetes API server {server} failed ({cause}). The kubeconfig's certificate authority does not match the cluster: get a fresh kubeconfig.",
    cluster_unauthorized:
      "The Kubernetes API server {server} refused the credentials ({cause}). The token or client certificate is wrong or expired: get a fresh kubeconfig.",
    cluster: "The cluster cannot be used: {cause}.",
    helm: "Helm did not do what was asked: {cause}.",
    unauthenticated: "{reason}",
    forbidden:
      "{actor} may not do this: it needs the {scope} permission. Ask an admin for a role or token that has it.",
    not_granted:
      "{actor} may not run {template}: their grants do not name it. Ask an admin to grant it.",
    locked: "Too many wrong passwords for {name}: the account is locked until {until}.",
  },
  run: {
    timed_out: "Timed out after {duration}",
    timed_outText: "The run took longer than its timeout and was stopped.",
    interrupted: "The process running this run stopped",
    interruptedText:
      "The simple-cicd process that ran it stopped unexpectedly (killed, crashed or the machine went down).",
    failed: "The run could not complete",
    cancelled: "Cancelled",
  },
};

export default errorsEn;
