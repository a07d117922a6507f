/** Where one effective configuration value came from (`predeploy config`, the report). */
export type Provenance =
  | { kind: 'profile' }
  | { kind: 'file'; file: string; line: number; column?: number }
  | { kind: 'env'; name: string }
  | { kind: 'discovered'; source: string };

/** Provenance per dotted key path (`domain.prod`, `azure.prod.keyVault`). */
export type ProvenanceMap = ReadonlyMap<string, Provenance>;

/** One line for humans: `built-in profile`, `predeploy.yaml:12`, `environment OP_ROOT`, `discovered: nginx server_name at /etc/nginx/sites-enabled/x:12`. */
export function describeProvenance(p: Provenance): string {
  switch (p.kind) {
    case 'profile':
      return 'built-in profile';
    case 'file':
      return `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
    case 'env':
      return `environment ${p.name}`;
    case 'discovered':
      return `discovered: ${p.source}`;
  }
}
