{{/* identity-provider-service: non-secret settings (ConfigMap). */}}
{{- define "latch.identityProviderService.config" -}}
{{ include "latch.verifierConfig" . }}
{{ include "latch.redisConfig" . }}
{{- end }}

{{/* identity-provider-service: secrets, by reference only. */}}
{{- define "latch.identityProviderService.secretEnv" -}}
{{- $v := .Values.identityProviderService }}
{{- include "latch.commonSecretEnv" (dict "root" . "component" "identity-provider-service" "values" $v) }}
{{- include "latch.redisSecretEnv" . }}
{{- include "latch.verifierSecretEnv" . }}
{{- if $v.existingSecret }}
- name: LATCH_IDP_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ $v.existingSecret }}
      key: client-secret
- name: LATCH_IDP_SECRETS_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.existingSecret }}
      key: secrets-encryption-key
{{- end }}
{{- end }}
