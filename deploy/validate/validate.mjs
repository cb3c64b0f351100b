// Validates every Kubernetes resource that `kubectl kustomize` renders for the given overlays against
// the Kubernetes OpenAPI schemas (kubernetes-models), plus the fields of Strimzi KafkaTopics and
// KafkaUsers (authentication, simple ACLs), which those schemas do not cover. Usage: node validate.mjs rendered-overlay.yaml...
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const models = {
  "v1/ConfigMap": "kubernetes-models/v1/ConfigMap",
  "v1/Secret": "kubernetes-models/v1/Secret",
  "v1/Service": "kubernetes-models/v1/Service",
  "v1/PersistentVolumeClaim": "kubernetes-models/v1/PersistentVolumeClaim",
  "v1/Namespace": "kubernetes-models/v1/Namespace",
  "apps/v1/Deployment": "kubernetes-models/apps/v1/Deployment",
  "policy/v1/PodDisruptionBudget": "kubernetes-models/policy/v1/PodDisruptionBudget",
};

function checkKafkaTopic(topic) {
  const problems = [];
  if (!topic.metadata?.labels?.["strimzi.io/cluster"]) problems.push("metadata.labels.strimzi.io/cluster is required");
  if (!Number.isInteger(topic.spec?.partitions) || topic.spec.partitions < 1) problems.push("spec.partitions must be a positive integer");
  if (!Number.isInteger(topic.spec?.replicas) || topic.spec.replicas < 1) problems.push("spec.replicas must be a positive integer");
  for (const [key, value] of Object.entries(topic.spec?.config ?? {})) {
    if (typeof value === "object") problems.push(`spec.config.${key} must be a scalar`);
  }
  if (problems.length) throw new Error(problems.join("; "));
}

const ACL_RESOURCES = ["topic", "group", "cluster", "transactionalId"];
const ACL_OPERATIONS = ["Read", "Write", "Create", "Delete", "Alter", "Describe", "ClusterAction", "AlterConfigs",
  "DescribeConfigs", "IdempotentWrite", "All"];

function checkKafkaUser(user) {
  const problems = [];
  if (!user.metadata?.labels?.["strimzi.io/cluster"]) problems.push("metadata.labels.strimzi.io/cluster is required");
  if (!["scram-sha-512", "tls", "tls-external"].includes(user.spec?.authentication?.type)) {
    problems.push("spec.authentication.type must be scram-sha-512, tls or tls-external");
  }
  if (user.spec?.authorization?.type !== "simple") problems.push("spec.authorization.type must be simple");
  for (const [i, acl] of (user.spec?.authorization?.acls ?? []).entries()) {
    if (!ACL_RESOURCES.includes(acl.resource?.type)) problems.push(`acls[${i}].resource.type ${acl.resource?.type}`);
    if (acl.resource?.type !== "cluster" && !acl.resource?.name) problems.push(`acls[${i}].resource.name is required`);
    if (acl.resource?.patternType && !["literal", "prefix"].includes(acl.resource.patternType)) {
      problems.push(`acls[${i}].resource.patternType ${acl.resource.patternType}`);
    }
    if (!Array.isArray(acl.operations) || acl.operations.length === 0 || acl.operations.some((o) => !ACL_OPERATIONS.includes(o))) {
      problems.push(`acls[${i}].operations ${JSON.stringify(acl.operations)}`);
    }
  }
  if (problems.length) throw new Error(problems.join("; "));
}

let failures = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const kinds = {};
  for (const doc of docs) {
    if (doc.errors.length) {
      console.error(`${file}: YAML error ${doc.errors[0].message}`);
      failures++;
      continue;
    }
    const resource = doc.toJS();
    if (!resource) continue;
    const key = `${resource.apiVersion}/${resource.kind}`;
    const name = `${file}: ${resource.kind}/${resource.metadata?.name}`;
    kinds[resource.kind] = (kinds[resource.kind] ?? 0) + 1;
    try {
      if (key === "kafka.strimzi.io/v1beta2/KafkaTopic") {
        checkKafkaTopic(resource);
      } else if (key === "kafka.strimzi.io/v1beta2/KafkaUser") {
        checkKafkaUser(resource);
      } else if (models[key]) {
        const module = await import(models[key]);
        const Model = Object.values(module).find((v) => typeof v === "function");
        new Model(resource).validate();
      } else {
        throw new Error(`no schema for ${key}`);
      }
    } catch (e) {
      console.error(`${name} is invalid: ${e.message}`);
      failures++;
    }
  }
  console.log(`${file}: ${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")}`);
}
if (failures) {
  console.error(`${failures} invalid resource(s)`);
  process.exit(1);
}
console.log("all resources valid");
