{{/*
Names and labels. Components: auth-service, identity-provider-service, storage-service.
Most helpers take a dict: root (the top-level context), component (its name), values (its block).
*/}}

{{- define "latch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide name, at most 40 characters so "<fullname>-identity-provider-service" fits 63. */}}
{{- define "latch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 40 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "latch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of a component's objects: <fullname>-<component>. Takes a dict root, component. */}}
{{- define "latch.componentFullname" -}}
{{- printf "%s-%s" (include "latch.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels every object of the release carries. Takes a dict root, component. */}}
{{- define "latch.labels" -}}
helm.sh/chart: {{ include "latch.chart" .root }}
{{ include "latch.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/part-of: latch
{{- end }}

{{/* Selector labels: stable for the life of a release. Takes a dict root, component. */}}
{{- define "latch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "latch.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* ServiceAccount name of a component. Takes a dict root, component, values. */}}
{{- define "latch.serviceAccountName" -}}
{{- if .values.serviceAccount.create }}
{{- default (include "latch.componentFullname" .) .values.serviceAccount.name }}
{{- else }}
{{- default "default" .values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Image reference of a component. Takes a dict root, component, values. */}}
{{- define "latch.image" -}}
{{- printf "%s:%s" .values.image.repository (default .root.Chart.AppVersion .values.image.tag) }}
{{- end }}

{{/* Public URL of the Ingress. */}}
{{- define "latch.publicBaseUrl" -}}
{{- if .Values.publicBaseUrl }}
{{- .Values.publicBaseUrl | trimSuffix "/" }}
{{- else if .Values.ingress.host }}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host }}
{{- else }}
{{- fail "set publicBaseUrl or ingress.host: the services need their public URL" }}
{{- end }}
{{- end }}

{{/* Issuer of the access tokens. */}}
{{- define "latch.tokenIssuer" -}}
{{- default (include "latch.publicBaseUrl" .) .Values.tokenIssuer | trimSuffix "/" }}
{{- end }}

{{/* In-cluster URL of auth-service. */}}
{{- define "latch.authServiceUrl" -}}
{{- printf "http://%s:%v" (include "latch.componentFullname" (dict "root" . "component" "auth-service")) .Values.authService.service.port }}
{{- end }}

{{/* JDBC URL of a component's database. Takes a dict root, component, values. */}}
{{- define "latch.jdbcUrl" -}}
{{- if .values.database.jdbcUrl }}
{{- .values.database.jdbcUrl }}
{{- else }}
{{- $db := .root.Values.database }}
{{- printf "jdbc:postgresql://%s:%v/%s" $db.host $db.port .values.database.name }}
{{- if $db.parameters }}?{{ $db.parameters }}{{ end }}
{{- end }}
{{- end }}

{{/*
ConfigMap data every service shares (non-secret settings only). Takes a dict root, component, values.
*/}}
{{- define "latch.commonConfig" -}}
QUARKUS_DATASOURCE_JDBC_URL: {{ include "latch.jdbcUrl" . | quote }}
LATCH_PUBLIC_BASE_URL: {{ include "latch.publicBaseUrl" .root | quote }}
LATCH_FLYWAY_MIGRATE_AT_START: {{ .root.Values.migrations.atStart | toString | quote }}
QUARKUS_SWAGGER_UI_ENABLED: {{ .root.Values.swaggerUi.enabled | toString | quote }}
QUARKUS_SHUTDOWN_DELAY: {{ printf "%dS" (int .values.shutdown.delaySeconds) | quote }}
QUARKUS_SHUTDOWN_TIMEOUT: {{ printf "%dS" (int .values.shutdown.timeoutSeconds) | quote }}
JAVA_MAX_MEM_RATIO: {{ .root.Values.jvm.maxHeapPercent | toString | quote }}
{{- end }}

{{/* Env entries every service shares: database credentials by reference. Takes a dict root, component, values. */}}
{{- define "latch.commonSecretEnv" -}}
{{- $db := .root.Values.database }}
{{- $secret := default $db.existingSecret .values.database.existingSecret }}
{{- if $secret }}
- name: QUARKUS_DATASOURCE_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $db.usernameKey }}
- name: QUARKUS_DATASOURCE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $db.passwordKey }}
{{- end }}
{{- end }}

{{/* Redis URL: from the ConfigMap, or by reference when redis.existingSecret is set. */}}
{{- define "latch.redisSecretEnv" -}}
{{- if .Values.redis.existingSecret }}
- name: QUARKUS_REDIS_HOSTS
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: {{ .Values.redis.hostsKey }}
{{- end }}
{{- end }}

{{- define "latch.redisConfig" -}}
{{- if not .Values.redis.existingSecret }}
QUARKUS_REDIS_HOSTS: {{ .Values.redis.hosts | quote }}
{{- end }}
{{- end }}

{{/* Token verification settings of identity-provider-service and storage-service. */}}
{{- define "latch.verifierConfig" -}}
LATCH_AUTH_SERVICE_URL: {{ include "latch.authServiceUrl" . | quote }}
LATCH_JWT_ISSUER: {{ include "latch.tokenIssuer" . | quote }}
{{- if .Values.tokenIntrospection.clientId }}
LATCH_JWT_INTROSPECTION_CLIENT_ID: {{ .Values.tokenIntrospection.clientId | quote }}
{{- end }}
{{- end }}

{{- define "latch.verifierSecretEnv" -}}
{{- if .Values.tokenIntrospection.existingSecret }}
- name: LATCH_JWT_INTROSPECTION_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.tokenIntrospection.existingSecret }}
      key: {{ .Values.tokenIntrospection.secretKey }}
{{- end }}
{{- end }}

{{/*
A component's Deployment. Takes a dict:
  root, component, values, port (container port),
  secretEnv (YAML list of EnvVar, by reference), volumes, volumeMounts (YAML lists),
  recreate (true: Recreate strategy, for a ReadWriteOnce data volume).
*/}}
{{- define "latch.deployment" -}}
{{- $v := .values -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "latch.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  {{- if .recreate }}
  # a ReadWriteOnce volume cannot attach to the new pod while the old one holds it
  strategy:
    type: Recreate
  {{- end }}
  selector:
    matchLabels:
      {{- include "latch.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      annotations:
        checksum/config: {{ include (print .root.Template.BasePath "/" .component "/configmap.yaml") .root | sha256sum }}
        {{- with $v.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      labels:
        {{- include "latch.labels" . | nindent 8 }}
        {{- with $v.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "latch.serviceAccountName" . }}
      # the services never call the Kubernetes API
      automountServiceAccountToken: false
      {{- with .root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $v.podSecurityContext | nindent 8 }}
      {{- $s := $v.shutdown }}
      {{- if ge (add $s.preStopSleepSeconds $s.delaySeconds $s.timeoutSeconds) (int $s.terminationGracePeriodSeconds) }}
      {{- fail (printf "%s.shutdown: preStopSleepSeconds + delaySeconds + timeoutSeconds (%d) must be below terminationGracePeriodSeconds (%d), or the kubelet kills requests in flight" .component (add $s.preStopSleepSeconds $s.delaySeconds $s.timeoutSeconds) (int $s.terminationGracePeriodSeconds)) }}
      {{- end }}
      terminationGracePeriodSeconds: {{ $s.terminationGracePeriodSeconds }}
      containers:
        - name: {{ .component }}
          image: {{ include "latch.image" . | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          securityContext:
            {{- toYaml $v.securityContext | nindent 12 }}
          ports:
            - name: http
              containerPort: {{ .port }}
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "latch.componentFullname" . }}
          {{- $env := concat (fromYamlArray (default "[]" .secretEnv)) ($v.env | default list) }}
          {{- with $env }}
          env:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          startupProbe:
            httpGet:
              path: /q/health/started
              port: http
            {{- toYaml $v.probes.startup | nindent 12 }}
          livenessProbe:
            httpGet:
              path: /q/health/live
              port: http
            {{- toYaml $v.probes.liveness | nindent 12 }}
          readinessProbe:
            httpGet:
              path: /q/health/ready
              port: http
            {{- toYaml $v.probes.readiness | nindent 12 }}
          {{- if $s.preStopSleepSeconds }}
          # while the endpoint controllers and proxies drop this pod; SIGTERM follows (k8s/README)
          lifecycle:
            preStop:
              {{- if semverCompare ">=1.30.0-0" .root.Capabilities.KubeVersion.Version }}
              sleep:
                seconds: {{ $s.preStopSleepSeconds }}
              {{- else }}
              exec:
                command: ["sleep", {{ $s.preStopSleepSeconds | toString | quote }}]
              {{- end }}
          {{- end }}
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- with .volumeMounts }}
            {{- . | nindent 12 }}
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            {{- if $v.tmpSizeLimit }}
            sizeLimit: {{ $v.tmpSizeLimit }}
            {{- end }}
        {{- with .volumes }}
        {{- . | nindent 8 }}
        {{- end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}

{{/* A component's Service. Takes a dict root, component, values. */}}
{{- define "latch.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "latch.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
spec:
  type: {{ .values.service.type }}
  selector:
    {{- include "latch.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .values.service.port }}
      targetPort: http
      protocol: TCP
{{- end }}

{{/* A component's ServiceAccount. Takes a dict root, component, values. */}}
{{- define "latch.serviceAccount" -}}
{{- if .values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "latch.serviceAccountName" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
  {{- with .values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}
{{- end }}

{{/* A component's HorizontalPodAutoscaler. Takes a dict root, component, values. */}}
{{- define "latch.hpa" -}}
{{- $a := .values.autoscaling }}
{{- if $a.enabled }}
{{- if gt (int $a.minReplicas) (int $a.maxReplicas) }}
{{- fail (printf "%s: autoscaling.minReplicas must not exceed maxReplicas" .component) }}
{{- end }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "latch.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "latch.componentFullname" . }}
  minReplicas: {{ $a.minReplicas }}
  maxReplicas: {{ $a.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $a.targetCPUUtilizationPercentage }}
{{- end }}
{{- end }}

{{/* A component's PodDisruptionBudget. Takes a dict root, component, values. */}}
{{- define "latch.pdb" -}}
{{- if .values.podDisruptionBudget.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "latch.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
spec:
  minAvailable: {{ .values.podDisruptionBudget.minAvailable }}
  selector:
    matchLabels:
      {{- include "latch.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}

{{/* A component's ConfigMap. Takes a dict root, component, values, data (YAML map). */}}
{{- define "latch.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "latch.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
data:
  {{- include "latch.commonConfig" . | nindent 2 }}
  {{- with .data }}
  {{- . | nindent 2 }}
  {{- end }}
{{- end }}

{{/*
One egress rule to TCP ports, restricted to cidrs (with except) and peers when any is given.
Takes a dict ports, cidrs, except, peers.
*/}}
{{- define "latch.egressRule" -}}
- ports:
    {{- range .ports }}
    - protocol: TCP
      port: {{ . }}
    {{- end }}
  {{- if or .cidrs .peers }}
  to:
    {{- $except := .except }}
    {{- range .cidrs }}
    - ipBlock:
        cidr: {{ . }}
        {{- with $except }}
        except:
          {{- toYaml . | nindent 10 }}
        {{- end }}
    {{- end }}
    {{- with .peers }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  {{- end }}
{{- end }}

{{/*
A component's NetworkPolicy: ingress from the ingress controller (plus Prometheus and the release's
helm test pod when enabled, plus extraFrom peers), egress to DNS, the database and the given rules.
Takes a dict root, component, values, port, extraFrom (YAML list of peers), egress (YAML list of rules).
*/}}
{{- define "latch.networkPolicy" -}}
{{- $np := .root.Values.networkPolicy }}
{{- if $np.enabled }}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "latch.componentFullname" . }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "latch.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "latch.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    - from:
        - namespaceSelector:
            {{- toYaml $np.ingressController.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.ingressController.podSelector | nindent 12 }}
        {{- with .extraFrom }}
        {{- . | nindent 8 }}
        {{- end }}
      ports:
        - protocol: TCP
          port: {{ .port }}
    {{- if .root.Values.serviceMonitor.enabled }}
    - from:
        - namespaceSelector:
            {{- toYaml .root.Values.serviceMonitor.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml .root.Values.serviceMonitor.podSelector | nindent 12 }}
      ports:
        - protocol: TCP
          port: {{ .port }}
    {{- end }}
    {{- if .root.Values.tests.enabled }}
    - from:
        - podSelector:
            matchLabels:
              {{- include "latch.selectorLabels" (dict "root" .root "component" "test") | nindent 14 }}
      ports:
        - protocol: TCP
          port: {{ .port }}
    {{- end }}
  egress:
    - to:
        - namespaceSelector:
            {{- toYaml $np.egress.dns.namespaceSelector | nindent 12 }}
          podSelector:
            {{- toYaml $np.egress.dns.podSelector | nindent 12 }}
      ports:
        {{- range $np.egress.dns.ports }}
        - protocol: UDP
          port: {{ . }}
        - protocol: TCP
          port: {{ . }}
        {{- end }}
    {{- include "latch.egressRule" $np.egress.database | nindent 4 }}
    {{- with .egress }}
    {{- . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end }}
