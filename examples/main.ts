// The three uses of namespaces, synthesized by `npm run examples` into examples/dist/.
import { App } from 'cdk8s';
import { multiTenantChart } from './multi-tenant';
import { securityZonesChart } from './security-zones';
import { teamsChart } from './teams';

const app = new App();
multiTenantChart(app);
teamsChart(app);
securityZonesChart(app);
app.synth();
