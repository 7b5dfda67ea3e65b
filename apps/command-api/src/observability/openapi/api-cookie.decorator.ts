import { SetMetadata } from '@nestjs/common';

export const API_COOKIES = 'cds:api-cookies';

export interface CookieParameterDoc {
  name: string;
  description: string;
}

/** A cookie the route reads, for the API document (the Swagger decorators describe no cookies). */
export const ApiCookie = (name: string, description: string) => SetMetadata(API_COOKIES, [{ name, description } satisfies CookieParameterDoc]);
