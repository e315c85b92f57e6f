// The English words the non-random populations are built from: common English words roughly
// in order of frequency (sentences draw them with Zipf weights, so "the" is frequent and
// "mountain" rare, as in real text; names and paths use only the content words among them),
// and the words programmers build class and method names from (Abstract, Factory, Handler...).

import type { Rng } from './random';

export const COMMON_WORDS = `
the of and to a in is it you that he was for on are with as his they be at one have this from
or had by hot word but what some we can out other were all there when up use your how said an
each she which do their time if will way about many then them write would like so these her
long make thing see him two has look more day could go come did number sound no most people my
over know water than call first who may down side been now find any new work part take get
place made live where after back little only round man year came show every good me give our
under name very through just form sentence great think say help low line differ turn cause much
mean before move right boy old too same tell does set three want air well also play small end
put home read hand port large spell add even land here must big high such follow act why ask
men change went light kind off need house picture try us again animal point mother world near
build self earth father head stand own page should country found answer school grow study still
learn plant cover food sun four between state keep eye never last let thought city tree cross
farm hard start might story saw far sea draw left late run while press close night real life
few north open seem together next white children begin got walk example ease paper group always
music those both mark often letter until mile river car feet care second book carry took science
eat room friend began idea fish mountain stop once base hear horse cut sure watch color face wood
main enough plain girl usual young ready above ever red list though feel talk bird soon body dog
family direct pose leave song measure door product black short numeral class wind question happen
complete ship area half rock order fire south problem piece told knew pass since top whole king
space heard best hour better true during hundred five remember step early hold west ground
interest reach fast verb sing listen six table travel less morning ten simple several vowel
toward war lay against pattern slow center love person money serve appear road map rain rule
govern pull cold notice voice unit power town fine certain fly fall lead cry dark machine note
wait plan figure star box noun field rest correct able pound done beauty drive stood contain
front teach week final gave green quick develop ocean warm free minute strong special mind behind
clear tail produce fact street inch multiply nothing course stay wheel full force blue object
decide surface deep moon island foot system busy test record boat common gold possible plane
`.trim().split(/\s+/);

export const CODE_WORDS = `
abstract base default simple generic internal remote local async batch stream buffered cached
shared static dynamic lazy concurrent parallel factory builder manager handler service provider
adapter wrapper proxy listener observer visitor strategy context config configuration settings
registry repository controller resolver reader writer parser formatter serializer converter
loader scheduler executor worker pool queue cache session request response client server
connection channel socket table schema record row column partition file path event message
exception error result value key token credential account user customer order payment invoice
spark data frame dataset catalog metadata storage bucket object blob job task stage cluster node
get set is has create update delete find load save read write open close init start stop run
apply process handle build parse validate convert resolve register compute fetch commit merge
`.trim().split(/\s+/);

/** Content words (nouns, verbs, adjectives) for names: the common words without the ~100 most frequent function words. */
export const CONTENT_WORDS = COMMON_WORDS.slice(100).filter((w) => w.length >= 4);

/** Capitalised: "factory" -> "Factory". */
export function capitalise(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

/**
 * A word drawn with Zipf weights (the i-th word has weight 1/(i+1)), so frequent words come up
 * often, as in running text.
 */
export function zipfPicker(words: readonly string[]): (rng: Rng) => string {
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < words.length; i++) cumulative.push((total += 1 / (i + 1)));
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo];
  };
}
