{{/* storage-service: non-secret settings (ConfigMap). */}}
{{- define "latch.storageService.config" -}}
{{- $v := .Values.storageService }}
{{ include "latch.verifierConfig" . }}
LATCH_STORAGE_DEFAULT_BACKEND: {{ $v.defaultBackend | quote }}
LATCH_STORAGE_DATA_DIR: "/var/lib/latch/data"
QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY: "/var/lib/latch/uploads"
QUARKUS_HTTP_LIMITS_MAX_BODY_SIZE: {{ $v.maxRequestBodySize | quote }}
{{- with $v.s3.endpoint }}
LATCH_STORAGE_S3_ENDPOINT: {{ . | quote }}
{{- end }}
LATCH_STORAGE_S3_REGION: {{ $v.s3.region | quote }}
LATCH_STORAGE_S3_BUCKET: {{ $v.s3.bucket | quote }}
LATCH_STORAGE_S3_PATH_STYLE: {{ $v.s3.pathStyle | toString | quote }}
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
