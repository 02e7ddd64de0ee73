// Cinemas written as staff write them (CinemasService.saveCinema, what the panel calls), so every
// process's kept cinema rows (the nearby search, the cinema detail) hear of them at once.
import type { Runtime } from '../../src/runtime.js';
import type { Cinema } from '../../src/modules/cinemas/cinema.entities.js';
import type { CinemaInput } from '../../src/modules/cinemas/cinema.schemas.js';

export function saveCinema(rt: Runtime, fields: Partial<Cinema> & Pick<Cinema, 'region' | 'area' | 'name' | 'address' | 'x' | 'y' | 'type'>): Promise<Cinema> {
  const { publicTransport, parking, tel, url, img, code, ...rest } = fields;
  const input: CinemaInput = {
    region: rest.region,
    area: rest.area,
    name: rest.name,
    address: rest.address,
    x: rest.x,
    y: rest.y,
    type: rest.type,
    code: code ?? undefined,
    tel: tel ?? undefined,
    url: url ?? undefined,
    img: img ?? undefined,
    public: publicTransport ?? undefined,
    parking: parking ?? undefined,
  };
  return rt.services.cinemas.saveCinema(null, null, input);
}
