import { awsQueryErrorResponse } from '../error-responses.js';
import type { LocalHandler, LocalRequest } from '../local-handlers.js';
import type { LocalResponse } from '../local-response.js';
import { pageOf } from './list-paging.js';
import { regionOfRequest } from './platform-arns.js';
import { SnsPlatformRequestError } from './platform-errors.js';
import { endpointAttributes, type PlatformStore } from './platform-store.js';
import { readQueryMap } from './query-form.js';
import { attributesXml, queryResponse, xmlElement } from './query-responses.js';

/** Endpoints per `ListEndpointsByPlatformApplication` page (SNS: "up to 100"). */
export const ENDPOINTS_PAGE_SIZE = 100;

/** Applications per `ListPlatformApplications` page (SNS: "up to 15"). */
export const APPLICATIONS_PAGE_SIZE = 15;

/** Answers one action from its form; throws `SnsPlatformRequestError` for SNS errors. */
export type PlatformAction = (form: URLSearchParams, request: LocalRequest) => LocalResponse;

/**
 * Turns an action into a local handler: parses the awsQuery form and renders an
 * `SnsPlatformRequestError` as SNS's `ErrorResponse`.
 *
 * @param action - The action.
 * @returns The handler.
 */
export function platformHandler(action: PlatformAction): LocalHandler {
  return (request) => {
    const form = new URLSearchParams(request.body.toString('utf8'));
    try {
      return action(form, request);
    } catch (error) {
      if (error instanceof SnsPlatformRequestError) return awsQueryErrorResponse(error.description);
      throw error;
    }
  };
}

const optional = (form: URLSearchParams, name: string): string | undefined => form.get(name) ?? undefined;

/**
 * The SNS platform application and endpoint actions, by action name.
 *
 * @param store - The state they work on.
 * @returns The actions.
 */
export function platformActions(store: PlatformStore): Map<string, PlatformAction> {
  const actions = new Map<string, PlatformAction>();

  actions.set('CreatePlatformApplication', (form, request) => {
    const application = store.createApplication(
      regionOfRequest(request.headers),
      optional(form, 'Name'),
      optional(form, 'Platform'),
      readQueryMap(form, 'Attributes'),
    );
    return queryResponse('CreatePlatformApplication', xmlElement('PlatformApplicationArn', application.arn));
  });

  actions.set('GetPlatformApplicationAttributes', (form) => {
    const application = store.application(optional(form, 'PlatformApplicationArn'));
    return queryResponse('GetPlatformApplicationAttributes', attributesXml(application.attributes));
  });

  actions.set('SetPlatformApplicationAttributes', (form) => {
    store.setApplicationAttributes(optional(form, 'PlatformApplicationArn'), readQueryMap(form, 'Attributes'));
    return queryResponse('SetPlatformApplicationAttributes', undefined);
  });

  actions.set('DeletePlatformApplication', (form) => {
    store.deleteApplication(optional(form, 'PlatformApplicationArn'));
    return queryResponse('DeletePlatformApplication', undefined);
  });

  actions.set('ListPlatformApplications', (form) => {
    const page = pageOf(store.applications(), (a) => a.seq, optional(form, 'NextToken'), APPLICATIONS_PAGE_SIZE);
    const members = page.items
      .map((a) => `<member>${xmlElement('PlatformApplicationArn', a.arn)}${attributesXml(a.attributes)}</member>`)
      .join('');
    const next = page.nextToken === undefined ? '' : xmlElement('NextToken', page.nextToken);
    return queryResponse('ListPlatformApplications', `<PlatformApplications>${members}</PlatformApplications>${next}`);
  });

  actions.set('CreatePlatformEndpoint', (form) => {
    const endpoint = store.createEndpoint(
      optional(form, 'PlatformApplicationArn'),
      optional(form, 'Token'),
      optional(form, 'CustomUserData'),
      readQueryMap(form, 'Attributes'),
    );
    return queryResponse('CreatePlatformEndpoint', xmlElement('EndpointArn', endpoint.arn));
  });

  actions.set('GetEndpointAttributes', (form) => {
    const endpoint = store.endpoint(optional(form, 'EndpointArn'));
    return queryResponse('GetEndpointAttributes', attributesXml(endpointAttributes(endpoint)));
  });

  actions.set('SetEndpointAttributes', (form) => {
    store.setEndpointAttributes(optional(form, 'EndpointArn'), readQueryMap(form, 'Attributes'));
    return queryResponse('SetEndpointAttributes', undefined);
  });

  actions.set('DeleteEndpoint', (form) => {
    store.deleteEndpoint(optional(form, 'EndpointArn'));
    return queryResponse('DeleteEndpoint', undefined);
  });

  actions.set('ListEndpointsByPlatformApplication', (form) => {
    const endpoints = store.endpointsOf(optional(form, 'PlatformApplicationArn'));
    const page = pageOf(endpoints, (e) => e.seq, optional(form, 'NextToken'), ENDPOINTS_PAGE_SIZE);
    const members = page.items
      .map((e) => `<member>${xmlElement('EndpointArn', e.arn)}${attributesXml(endpointAttributes(e))}</member>`)
      .join('');
    const next = page.nextToken === undefined ? '' : xmlElement('NextToken', page.nextToken);
    return queryResponse('ListEndpointsByPlatformApplication', `<Endpoints>${members}</Endpoints>${next}`);
  });

  return actions;
}
