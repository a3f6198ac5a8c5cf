{{/* auth-service: non-secret settings (ConfigMap). */}}
{{- define "latch.authService.config" -}}
{{- $v := .Values.authService }}
LATCH_AUTH_TOKEN_ISSUER: {{ include "latch.tokenIssuer" . | quote }}
LATCH_AUTH_KEYS_ALGORITHM: {{ $v.signingKeys.algorithm | quote }}
LATCH_AUTH_SIGNUP_ENABLED: {{ $v.signup.enabled | toString | quote }}
{{- if $v.signingKeys.existingSecret }}
LATCH_AUTH_KEYS_DIRECTORY: "/var/run/secrets/latch/signing-keys"
{{- with $v.signingKeys.active }}
LATCH_AUTH_KEYS_ACTIVE: {{ . | quote }}
{{- end }}
{{- end }}
{{- if $v.oauthClients.existingSecret }}
QUARKUS_CONFIG_LOCATIONS: "/etc/latch/config/oauth-clients.properties"
{{- end }}
{{ include "latch.redisConfig" . }}
{{- end }}

{{/* auth-service: secrets, by reference only. */}}
{{- define "latch.authService.secretEnv" -}}
{{- $v := .Values.authService }}
{{- include "latch.commonSecretEnv" (dict "root" . "component" "auth-service" "values" $v) }}
{{- include "latch.redisSecretEnv" . }}
{{- if and (not $v.signingKeys.existingSecret) $v.existingSecret }}
- name: LATCH_AUTH_KEYS_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.existingSecret }}
      key: keys-encryption-key
{{- end }}
{{- with $v.bootstrapAdmin.existingSecret }}
- name: LATCH_AUTH_BOOTSTRAP_ADMIN_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.bootstrapAdmin.usernameKey }}
- name: LATCH_AUTH_BOOTSTRAP_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.bootstrapAdmin.passwordKey }}
{{- end }}
{{- end }}

{{- define "latch.authService.volumes" -}}
{{- $v := .Values.authService }}
{{- if $v.signingKeys.existingSecret }}
- name: signing-keys
  secret:
    secretName: {{ $v.signingKeys.existingSecret }}
    # 0440: readable by the fsGroup (185) only
    defaultMode: 288
{{- end }}
{{- if $v.oauthClients.existingSecret }}
- name: oauth-clients
  secret:
    secretName: {{ $v.oauthClients.existingSecret }}
    defaultMode: 288
    items:
      - key: oauth-clients.properties
        path: oauth-clients.properties
{{- end }}
{{- end }}

{{- define "latch.authService.volumeMounts" -}}
{{- $v := .Values.authService }}
{{- if $v.signingKeys.existingSecret }}
- name: signing-keys
  mountPath: /var/run/secrets/latch/signing-keys
  readOnly: true
{{- end }}
{{- if $v.oauthClients.existingSecret }}
- name: oauth-clients
  mountPath: /etc/latch/config
  readOnly: true
{{- end }}
{{- end }}
