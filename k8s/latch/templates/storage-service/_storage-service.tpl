{{/*
storage-service: non-secret settings (ConfigMap). A storage setting given through the environment is
pinned (it wins over the stored settings and the settings API refuses to change it), so each one is
rendered only when the user set it.
*/}}
{{- define "latch.storageService.config" -}}
{{- $v := .Values.storageService }}
{{ include "latch.verifierConfig" . }}
LATCH_STORAGE_DATA_DIR: "/var/lib/latch/data"
QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY: "/var/lib/latch/uploads"
QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE: {{ $v.maxRequestBodySize | quote }}
{{- with $v.defaultBackend }}
LATCH_STORAGE_DEFAULT_BACKEND: {{ . | quote }}
{{- end }}
{{- with $v.delivery }}
LATCH_STORAGE_DELIVERY: {{ . | quote }}
{{- end }}
{{- if not (kindIs "invalid" $v.maxUploadBytes) }}
LATCH_STORAGE_MAX_UPLOAD_BYTES: {{ $v.maxUploadBytes | int64 | toString | quote }}
{{- end }}
{{- with $v.s3.endpoint }}
LATCH_STORAGE_S3_ENDPOINT: {{ . | quote }}
{{- end }}
{{- with $v.s3.region }}
LATCH_STORAGE_S3_REGION: {{ . | quote }}
{{- end }}
{{- with $v.s3.bucket }}
LATCH_STORAGE_S3_BUCKET: {{ . | quote }}
{{- end }}
{{- if not (kindIs "invalid" $v.s3.pathStyle) }}
LATCH_STORAGE_S3_PATH_STYLE: {{ $v.s3.pathStyle | toString | quote }}
{{- end }}
{{- end }}

{{/* storage-service: secrets, by reference only. */}}
{{- define "latch.storageService.secretEnv" -}}
{{- $v := .Values.storageService }}
{{- include "latch.commonSecretEnv" (dict "root" . "component" "storage-service" "values" $v) }}
{{- include "latch.verifierSecretEnv" . }}
{{- if $v.existingSecret }}
- name: LATCH_STORAGE_URL_SIGNING_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.existingSecret }}
      key: url-signing-key
# only needed to store an S3 secret through the settings API: optional in the Secret
- name: LATCH_STORAGE_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ $v.existingSecret }}
      key: encryption-key
      optional: true
{{- end }}
{{- with $v.s3.existingSecret }}
- name: LATCH_STORAGE_S3_ACCESS_KEY_ID
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.s3.accessKeyIdKey }}
- name: LATCH_STORAGE_S3_SECRET_ACCESS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $v.s3.secretAccessKeyKey }}
{{- end }}
{{- end }}

{{- define "latch.storageService.claimName" -}}
{{- $p := .Values.storageService.persistence }}
{{- default (printf "%s-data" (include "latch.componentFullname" (dict "root" . "component" "storage-service"))) $p.existingClaim }}
{{- end }}

{{/* Data volume at /var/lib/latch/data: a PersistentVolumeClaim when persistence is enabled, else an emptyDir;
     and the emptyDir where multipart uploads are spooled. */}}
{{- define "latch.storageService.volumes" -}}
- name: data
{{- if .Values.storageService.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ include "latch.storageService.claimName" . }}
{{- else }}
  emptyDir: {}
{{- end }}
- name: uploads
  emptyDir:
    sizeLimit: {{ .Values.storageService.uploads.sizeLimit }}
{{- end }}

{{- define "latch.storageService.volumeMounts" -}}
- name: data
  mountPath: /var/lib/latch/data
- name: uploads
  mountPath: /var/lib/latch/uploads
{{- end }}
