// Renders this server's /openapi.json with Swagger UI, all from this server: no validator badge (it would call
// validator.swagger.io), no "try it out" requests anywhere but this origin.
'use strict';
window.addEventListener('DOMContentLoaded', function () {
  window.SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    tryItOutEnabled: false,
    supportedSubmitMethods: ['get', 'post', 'put', 'patch', 'delete'],
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout'
  });
});
