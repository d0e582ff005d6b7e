#!/usr/bin/env bash
# Prints a CRM user's token as the dev profile accepts it: RS256 signed with the dev key
# scripts/dev-jwt-private.pem (dev mode and the demo only; no other artifact accepts it), issuer
# call-tracker-dev, audience authenticated, and the CRM-user claim app_metadata.crm_role=agent.
#
#   CRM_JWT=$(scripts/dev-jwt.sh)
#   curl -H "Authorization: Bearer $CRM_JWT" http://localhost:8080/api/leads/00000000-0000-4000-8000-000000000001/activities
#
# Environment: SUB (the agent, default agent-demo; the access token's identity is it with - as _),
# CRM_ROLE (default agent; anything else is no CRM user), TTL_SECONDS (default 3600). Needs bash, openssl.
set -euo pipefail

SUB=${SUB:-agent-demo}
CRM_ROLE=${CRM_ROLE:-agent}
TTL_SECONDS=${TTL_SECONDS:-3600}
NOW=$(date -u +%s)
KEY="$(dirname "$0")/dev-jwt-private.pem"

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"call-tracker-dev","aud":"authenticated","sub":"%s","role":"authenticated","app_metadata":{"crm_role":"%s"},"iat":%s,"exp":%s}' \
  "$SUB" "$CRM_ROLE" "$NOW" $((NOW + TTL_SECONDS)) | b64url)
printf '%s.%s.%s\n' "$header" "$payload" \
  "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$KEY" -binary | b64url)"
