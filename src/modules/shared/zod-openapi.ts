// zod with `.openapi(…)`: imported first by every schema module, so a schema made at import time can
// carry its OpenAPI name and example whichever module loads first (the HTTP edge does the same).
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);
