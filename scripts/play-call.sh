#!/usr/bin/env bash
# Plays one answered browser call against a running call-tracker, exactly as Twilio would send it
# (form-encoded, signed with X-Twilio-Signature), then prints the call and the lead's timeline.
#
#   ./mvnw quarkus:dev            # in another terminal
#   scripts/play-call.sh          # defaults match the dev profile
#
# Environment: BASE_URL (default http://localhost:8080), TWILIO_AUTH_TOKEN (default: the dev token),
# LEAD_ID and TO (default: the demo lead that dev mode creates), CRM_JWT (default: a CRM user's token signed
# with the dev key scripts/dev-jwt-private.pem, which only dev mode and the demo accept). Needs bash, curl, openssl.
set -euo pipefail

BASE_URL=${BASE_URL:-http://localhost:8080}
TOKEN=${TWILIO_AUTH_TOKEN:-dev-auth-token-not-a-secret}
LEAD_ID=${LEAD_ID:-00000000-0000-4000-8000-000000000001}
TO=${TO:-+15551230000}
ACCOUNT="AC$(openssl rand -hex 16)"
PARENT="CA$(openssl rand -hex 16)"
CHILD="CA$(openssl rand -hex 16)"
RECORDING="RE$(openssl rand -hex 16)"

rfc2822() { LC_ALL=C date -u -d "@$1" '+%a, %d %b %Y %H:%M:%S +0000'; }
NOW=$(date -u +%s)

# post PATH NAME=VALUE... : signs (URL + params sorted by name, each name then value) and POSTs.
post() {
  local path=$1; shift
  local data="$BASE_URL$path" pair
  while IFS= read -r pair; do data+="${pair%%=*}${pair#*=}"; done < <(printf '%s\n' "$@" | LC_ALL=C sort -t= -k1,1)
  local signature
  signature=$(printf '%s' "$data" | openssl dgst -sha1 -hmac "$TOKEN" -binary | base64)
  local args=()
  for pair in "$@"; do args+=(--data-urlencode "$pair"); done
  local status
  status=$(curl -s -o /tmp/play-call.out -w '%{http_code}' -H "X-Twilio-Signature: $signature" "${args[@]}" "$BASE_URL$path")
  printf '%-28s %-40s -> %s\n' "$path" "$3" "$status"
  [[ $status == 2* ]] || { cat /tmp/play-call.out; echo; exit 1; }
}

dialed() { # status sequence seconds-after-start [duration]
  local extra=()
  [[ $# -ge 4 ]] && extra=("CallDuration=$4")
  post /api/calling/webhook "AccountSid=$ACCOUNT" "CallSid=$CHILD" "CallStatus=$1" "ParentCallSid=$PARENT" \
    "SequenceNumber=$2" "Timestamp=$(rfc2822 $((NOW + $3)))" "CallbackSource=call-progress-events" \
    "Direction=outbound-dial" "To=$TO" "${extra[@]}"
}

echo "Playing call $PARENT (dialed leg $CHILD) to $TO for lead $LEAD_ID"
post /api/webhooks/twilio/voice-client "AccountSid=$ACCOUNT" "CallSid=$PARENT" "From=client:agent-demo" \
  "To=$TO" "LeadId=$LEAD_ID" "Direction=inbound" "CallStatus=ringing"
dialed initiated 0 0
dialed ringing 1 1
dialed in-progress 2 6
dialed completed 3 48 42
post /api/calling/webhook "AccountSid=$ACCOUNT" "CallSid=$PARENT" "DialCallStatus=completed" "CallStatus=in-progress" \
  "DialCallSid=$CHILD" "DialCallDuration=42" "DialBridged=true"
post /api/calling/recording "AccountSid=$ACCOUNT" "CallSid=$PARENT" "RecordingStatus=completed" "RecordingSid=$RECORDING" \
  "RecordingUrl=https://api.twilio.com/2010-04-01/Accounts/$ACCOUNT/Recordings/$RECORDING" "RecordingDuration=41"
post /api/calling/webhook "AccountSid=$ACCOUNT" "CallSid=$PARENT" "CallStatus=completed" "CallDuration=50" \
  "Timestamp=$(rfc2822 $((NOW + 49)))"

# A CRM user's token as the dev profile expects it (scripts/dev-jwt.sh).
CRM_JWT=${CRM_JWT:-$(SUB=agent-demo TTL_SECONDS=600 "$(dirname "$0")/dev-jwt.sh")}

pretty() { if command -v python3 >/dev/null; then python3 -m json.tool; else cat; echo; fi; }
echo; echo "== GET /api/calls/$PARENT"
curl -s -H "Authorization: Bearer $CRM_JWT" "$BASE_URL/api/calls/$PARENT" | pretty
echo; echo "== GET /api/leads/$LEAD_ID/activities"
curl -s -H "Authorization: Bearer $CRM_JWT" "$BASE_URL/api/leads/$LEAD_ID/activities" | pretty
