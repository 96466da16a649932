/**
 * AWS SDK clients built from the variable scheme. An empty endpoint means real AWS (the SDK's default
 * chain finds credentials); a set endpoint means Cairn's local S3/DynamoDB, which needs path-style
 * URLs and accepts any credentials, so fixed local ones are used when none are configured.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// The SDK warns on every start that its releases after January 2027 will need Node 22; the versions
// pinned here run on Node 20, so the notice is noise in the logs. Set the variable to "false" to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

const LOCAL_CREDENTIALS = { accessKeyId: "cairn-local", secretAccessKey: "cairn-local" };

function options(endpoint, env) {
  const region = env.AWS_REGION || "eu-west-3";
  if (!endpoint) return { region };
  const credentials = env.AWS_ACCESS_KEY_ID ? undefined : LOCAL_CREDENTIALS;
  return { region, endpoint, ...(credentials ? { credentials } : {}) };
}

/** S3 client for the buckets (S3_ENDPOINT empty on AWS). */
export function s3Client(env = process.env) {
  const endpoint = env.S3_ENDPOINT || "";
  return new S3Client({ ...options(endpoint, env), forcePathStyle: endpoint !== "" });
}

/** DynamoDB document client for the tables (DYNAMODB_ENDPOINT empty on AWS). */
export function tableClient(env = process.env) {
  const client = new DynamoDBClient(options(env.DYNAMODB_ENDPOINT || "", env));
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
