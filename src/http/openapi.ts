import { extendZodWithOpenApi, OpenApiGeneratorV3, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'jwt', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'A token from POST /user/login/, sent as `JWT <token>` (or `Bearer <token>`).',
  });
  return registry;
}

export function openApiDocument(registry: OpenAPIRegistry, serverUrl = '/') {
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Marquee API',
      version: '0.1.0',
      description:
        'Public API of Marquee, the back office of an OTT / movie service. Errors: validation → 400 {"field": ["message"]}; other client errors → {"message": "…"}; not found → 404 {"detail": "…"}.',
    },
    servers: [{ url: serverUrl }],
  });
}

export { OpenAPIRegistry };
