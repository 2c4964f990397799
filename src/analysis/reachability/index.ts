// The reachability engine: which pods can open connections to which, under the NetworkPolicies of
// a cluster model.
export * from './cluster';
export * from './endpoints';
export type { SelfTraffic } from './engine';
export * from './internet';
export * from './matrix';
export * from './policy-view';
export * from './ports';
export * from './reachability-model';
export * from './render';
export * from './synthetic';
export * from './verdict';
