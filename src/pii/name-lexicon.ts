// Word lists for person-name detection. Lower-case, diacritics removed (see fold() in person-name.ts).
// Given names and surnames are a sample of the most common across the regions an AWS estate is staffed from;
// they raise confidence but are not required when the key says the value is a person.

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

export const GIVEN_NAMES = words(`
aaron abby abdul abdullah abel abigail abraham adam adaeze adel adele adrian adriana agnes ahmad ahmed aida aiko
aisha akira alan alana albert alberto alejandra alejandro aleksandr aleksandra alex alexa alexander alexandra
alexandre alexei alexis alfonso alfred ali alice alicia alina alison alistair allison alma amanda amaya amelia amir
amit amita amy ana anabel anand ananya anastasia anders andre andrea andreas andres andrew andrzej andy angela angelica
angelo anil anita anja ann anna annabel anne anneke annette annie anthony antoine anton antonio anya anzhela arjun arnav
arne arnold arthur arturo arun arvind asha ashley ashok astrid aurora ava axel ayesha ayumi barbara barry beatrice
beatriz ben benedikt benjamin bernard bernardo bianca birgit bjorn blake boris brandon brenda brian bridget bruno
bryan caitlin camila camille carl carla carlos carmen carol caroline carolyn carsten catherine cecilia celine cesar
chandra chanel charles charlotte chen cheng chiara chidi chinedu chioma chloe chris christian christina christine
christopher chukwuma cindy claire clara claudia colin connor conor constance craig cristina cynthia dagmar daisuke
dan dana daniel daniela danielle daniele dario darius darren david debbie deborah deepak deepika denis denise dennis
derek devi diana diego dieter dimitri dinesh dirk divya dmitri dmitry dominic dominik donald donna doris dorothy
douglas duncan dylan edward edwin eilidh elaine elena eleni elias elif elijah elisa elisabeth eliza elizabeth ella
ellen elsa emeka emily emma emmanuel enrique eric erica erik erika ernesto esther ethan eugene eva evelyn fabian
fabio farah fatima fatma federica federico felipe felix fernanda fernando filip fiona florian francesca francesco
francis francisco franz frederick fumiko gabriel gabriela gabriele gareth gary gaurav george georg georgia gerald
gerhard giovanni giulia giuseppe gloria gonzalo gordon graham greg gregory gunnar gustavo hailey hamza hana hannah
hans harold harper harry haruto hassan heather hector heidi heike helen helena helga henrik henry hiroshi hiroko
hoang hugo hui hyun ian ibrahim ifeoma igor ikechukwu ilse imran ines ingrid irene irina isaac isabel isabella
isabelle ishaan ismail ivan jacob jacqueline jakob james jamie jan jana jane janet janice jasmine jason javier
jean jeanette jeff jeffrey jennifer jens jeremy jerome jesper jessica jesus jia jian jie jin jing joan joanna joao
joaquin jody joe joel johan johann johanna john jonas jonathan jordan jorge jose josef joseph josephine joshua
joyce juan judith julia julian juliana julie julien jun jurgen justin kai kamal karen karim karin karina karl
kate katherine kathleen kathryn katie katja katrin kavya kayode keiko keith kelly ken kenji kenneth kevin khalid
kim kimberly kiran klaus kofi kristina kumar kwame kyle lakshmi lars laura lauren laurent lea leah lei lena leo
leon leonardo leticia li lian liam lin linda ling lisa liu lorenzo louis louise lucas lucia luciana lucy luis
luisa lukas luke lukasz magdalena mahmoud maja malik mamadou manuel marc marcel marcela marco marcos marcus
margaret margarita maria mariam mariana marie marina mario marisa marius marta martha martin martina mary
maryam masato mateo mathias matias matteo matthew matthias maura maureen maurice maxim maximilian maya mehmet
mei melanie melissa mia michael michaela michal michel michelle miguel mika mikael mikhail milan min mina ming
miriam mohamed mohammad mohammed monica monika morgan moritz muhammad murat mustafa nadia nadine nancy naomi
narges natalia natalie natasha nathan nathalie neha nicholas nicola nicolas nicole niels nikhil nikita niklas
nikolai nina nisha noah noemi noor nora norbert nour nuno oksana olga oliver olivia olu omar oscar
oskar pablo paolo parisa patricia patrick paul paula paulo pavel pedro peter petra philip philipp philippe pierre
pietro pilar piotr pooja prakash pranav priya priyanka qiang rachel rafael rahul raj rajesh rakesh ramesh ramon
rana raquel rashid raul rebecca reza ricardo richard rita robert roberta roberto robin rodrigo roger rohan roland
roman ronald rosa rosalind ross ruth ryan ryo sabine sadia sakura salma salvatore samantha samir samuel sandeep
sandra sanjay santiago sara sarah sasha satoshi scott sean sebastian sergei sergey sergio seun shanice shannon
sharon shawn sheila shira shirin shreya shu simon simone siobhan siddharth sina sofia sophia sophie soren stefan
stefanie stefano stella stephan stephanie stephen steven suresh susan susanne suzanne sven svetlana sylvia takashi
takeshi tamara tanvir tanya tara tatiana teresa thabo thi thomas tiago tim timothy tobias tom tomas tomasz
toshiro tuan ulrich uma usman valentina valeria vanessa varun vera veronica victor victoria vijay vikram vincent
vinod viola virginia vivek vladimir walter wanjiru wei wen wendy werner william wojciech xavier xiao xin xu yan
yang yasmin yasmine yi ying yoshiko yuki yuko yusuf yuri yvonne zainab zara zeynep zhang zhi zoe zoltan
aarav abena abimbola adebayo adeola adewale ayodele babajide bartosz bogdan bongani chiamaka chinonso chukwudi
dariusz dmytro efua emre ewa fiifi folake funmilayo grzegorz halyna hamid hye-jin jakub jarek jaroslaw jelena jiho
jiwoo kamila karolina kateryna katarzyna kemi kenta kwabena kwaku kwesi lindiwe lwazi malgorzata marek mariusz
mateusz minh-anh mykola naledi nam ngozi nnamdi obinna oleksandr oleksii olena oluwaseun oluwatobi olumide omari
onur oyelaran pawel petro przemyslaw radoslaw rafal sandile seo-yeon serhii sipho sizwe slawomir sunil taras
thandiwe themba tunde uchenna vusi wiktoria yaw yerlan yuto zanele zbigniew zodwa aditya ajay akash amitabh ankit
anjali ashwin bhavna chitra deepa gautam harish hema jayesh kavita lalit manish meera mohan naveen nitin pallavi
prasad preeti rajiv ravi sachin sanjana shweta srinivas sunita swati tanvi uday vandana vinay yash daiki haruka
hinata kaito kazuki misaki naoko riku sora takumi yui yuna yusuke ji-hoon min-jun seo-jun soo-jin hyun-woo jae-won
minh thanh linh duc huong quang trang phuong anh bao khanh tuan-anh thiago matheus rafaela bruna larissa agustin
facundo florencia ximena camilo catalina nils mats ola kari ingvild sigrid freja ida emil magnus elin saga liv ahmet
ayse burak can cem deniz emine hakan kerem selin zehra amina fatou aminata moussa ousmane ibrahima mariama khadija
youssef layla leila rania samira tariq yousef bilal faisal zain ayaan arham aoife ciara niamh saoirse sinead caoimhe
oisin padraig eoin cian darragh ronan
nick chuck sue angel
`);

/** Given names that are also ordinary words; ignored when scanning free text, fine under a person key. */
export const AMBIGUOUS_GIVEN = words(`
will may june april august mark bill grace hope rose art chase faith sky river jade amber summer dawn joy pat max
eve ray gene lance rich grant frank drew dean don guy jack cliff dale glen heath holly ivy iris lily daisy hunter
mason carter cooper parker page paige reed rod sandy sunny miles norm penny ruby crystal destiny harmony jay kit
rusty sterling skip terry wade warren woody young victor gray grey brook brooke forest storm lane sage autumn bob
ken lee long ma may min jun jin an van chan mac kim sun hana will joy india china paris london sydney florence
georgia virginia victoria jordan austin dallas houston chelsea madison charlotte savannah phoenix aurora regina
adelaide alexandria lincoln washington jackson orlando tyler helena santiago sofia israel carolina dakota
cheyenne denver brooklyn lorraine siena valencia alexa siri ruby rosa hugo julia elastic cameron troy camden
sue angel
`);

export const SURNAMES = words(`
abbott adams afolabi agarwal aguilar ahmed ahn akhtar alexander ali allen alvarez
anderson andersson andrews aoki arslan bailey baker banerjee barnes bauer becker bell bennett bergstrom
bernard bertrand bhatt bianchi bianco bose brown bruno bui campbell cardenas carter castillo castro chakraborty
chan chang chatterjee chaudhry chen cheng choi chopra chowdhury clark cohen collins colombo conti cook cooper
costa cruz da silva das davies davis de jong diaz dimitrov do dogan dubois dupont edwards eriksson esposito evans
fernandes fernandez ferrari fischer fisher flores fontaine fournier garcia ghosh gomez gonzalez gonzales gray
green greco gupta gutierrez hall hansen harris hassan hayashi henderson hernandez hill hoang hoffmann hughes
hussain ibrahim ito iyer jackson jain james jansen jensen jimenez johansson johnson jones joshi kang kapoor kato
kaur kelly khan kim kimura king klein kobayashi koch kowalski kozlov kruger kumar kuznetsov larsen laurent le lee
lewis li lim lindberg liu lopez lombardi ma mahmoud maier malik marin martin martinez matsumoto mehta
mendes mendoza meyer miller mishra mitchell mohamed moore morales moreau moreno morgan morris muller murphy murray
mwangi nair nakamura navarro nelson nguyen nielsen nilsson novak nowak obi ochieng oconnor okonkwo olsen
olsson ortiz osei ozturk pan papadopoulos park parker patel perez perera peters petersen petrov pham phillips pillai
popescu popov price qureshi rahman ramirez ramos rao reddy reyes ricci richard richardson rivera roberts robinson
rodriguez romano romero rossi roux roy russo saito sanchez santos sato schmidt schneider schulz scott shah sharma
shevchenko silva simmons singh smith sokolov sorensen stewart suarez sullivan suzuki svensson takahashi tanaka
tang taylor thomas thompson tiwari torres tran turner vargas vasquez verma wagner walker wang wanjiku watanabe
watson weber white williams wilson wong wood wright wu xu yadav yamada yamamoto yang yilmaz yoshida young yu
zhang zhao zhou zhu zimmermann
doe okafor adeyemi adebayo okoye eze nwosu chukwu balogun bakare ogunleye oyelaran mensah owusu boateng asante
appiah ndlovu dlamini nkosi khumalo mokoena naidoo botha moyo banda phiri mutua kamau otieno wisniewski wojcik
kaminski lewandowski zielinski szymanski wozniak dabrowski kozlowski jankowski mazur krawczyk kowalczyk piotrowski
grabowski pawlowski michalski bondarenko kovalenko tkachenko kravchenko oliynyk melnyk shevchuk boyko ivanov smirnov
volkov fedorov morozov lebedev novikov petrova ivanova yamaguchi inoue shimizu yamazaki mori ikeda hashimoto
ishikawa ogawa okada goto hasegawa murakami kondo sakamoto endo fujita nishimura fukuda ota miura jung yoon jang han
oh seo shin kwon hwang song jeon hong huynh vo dang ngo duong ly venkataraman subramanian krishnan raman iyengar
menon nambiar mukherjee sen dutta kulkarni deshpande patil jadhav pawar shinde naik gowda hegde shetty bhat pandey
tripathi dubey srivastava saxena agrawal bansal goel mittal aggarwal chauhan rathore rajput thakur ruiz alonso
dominguez vazquez gil serrano blanco molina ortega rubio marquez pereira oliveira souza lima carvalho almeida
ribeiro araujo barbosa rocha dias nascimento cardoso sousa teixeira moreira correia pinto marino gallo mancini
giordano lefevre leroy girard bonnet dupuis lambert rousseau vincent blanc guerin boyer garnier chevalier francois
legrand gauthier perrin robin clement morin nicolas henry roussel mathieu gautier masson schafer richter wolf
schroder neumann schwarz braun hofmann hartmann lange schmitt werner krause meier lehmann huber andersen pedersen
kristensen rasmussen jorgensen madsen christensen johansen karlsson persson gustafsson pettersson jonsson lindqvist
lindstrom berg haugen hagen halvorsen korhonen virtanen makinen nieminen hamalainen laine heikkinen koskinen walsh
byrne ryan obrien doyle mccarthy gallagher doherty kennedy lynch quinn mclaughlin carroll connolly daly connell kaya
demir sahin celik yildiz yildirim aydin ozdemir kilic aslan cetin haddad khoury nasser saleh hussein abdullah aziz
karimi hosseini ahmadi mohammadi rezaei farsi al-farsi mansour khalil salem
`);

export const PARTICLES = words('van von de der den da das dos del della di du le la al el bin ibn ben ter ten op mac st');
export const TITLES = words('dr dr. mr mr. mrs mrs. ms ms. miss mx prof prof. sir dame');

/**
 * Words that make a capitalised phrase an organisation, team, product or system rather than a person
 * ("Data Platform", "Fraud Detection", "AWS Control Tower").
 */
export const ORG_WORDS = words(`
team teams group groups squad tribe guild chapter unit division department dept office board committee council
center centre hub desk function org organization organisation company corp corporation inc ltd llc gmbh plc
platform platforms engineering engineers data science scientists ops secops devops mlops finops dataops sysops
devsecops operations operation analytics analysis success customer customers client clients marketing growth fraud
detection risk finance financial payments payment global banking bank core retail wholesale mobile apps app
application applications service services support security identity access management governance excellence cloud
infrastructure infra network networking networks it ml ai bi sre qa dev development prod production test testing
staging sandbox shared products product project projects program programme research labs lab studio administration
admin admins administrators advisory change changes release releases build builds pipeline pipelines sagemaker aws
amazon azure gcp terraform cloudformation jenkins github gitlab bitbucket actions catalog control tower automation
bot bots system systems owners users user model models training inference engine recommendation recommendations
churn feature features store lake warehouse stream streaming batch api apis web frontend backend database databases
db storage compute hr people talent legal sales procurement purchasing billing accounting audit compliance privacy
trust safety quality assurance architecture architects design content media digital commerce ecommerce logistics
supply chain manufacturing health healthcare clinical claims underwriting insurance lending credit treasury
investments investment wealth capital markets trading experience ux ui integration integrations enterprise corporate
business intelligence insights reporting reports metrics monitoring observability incident incidents response
rotation oncall tbd na none unknown unassigned default general common central regional emea apac amer latam north
south east west europe america americas asia pacific falcon phoenix eagle hawk titan atlas apollo orion mercury
gemini jupiter neptune pegasus zeus athena hermes project portfolio vpc subnet account accounts landing zone
organizations foundation foundations services strategy planning forecasting optimization optimisation
transformation migration modernization modernisation innovation solutions solution consulting partners partner
vendor vendors contractor contractors external internal shared common cost costs finops budget budgets spend
accounts payable receivable payroll treasury tax ops-team cloudops netops itops noc soc cert csirt alpha beta gamma delta omega sigma kappa prime one two three first second third
key keys secret secrets vault kms iam sso directory ldap active okta auth authentication authorization gateway
edge cdn dns load balancer cluster clusters kubernetes eks ecs fargate lambda serverless container containers
docker image images registry artifact artifacts repository repositories repo repos code source git scm ci cd
deploy deployment deployments delivery continuous workflow workflows orchestration scheduler jobs job batch etl elt
ingestion processing transformation analytics warehouse redshift athena glue emr spark hadoop kafka kinesis flink
notebook notebooks studio jupyter mlflow airflow dagster prefect dbt looker tableau powerbi quicksight grafana
prometheus datadog splunk newrelic pagerduty opsgenie servicenow jira confluence slack teams zoom google microsoft
oracle sap salesforce workday snowflake databricks mongodb postgres mysql aurora dynamodb elasticsearch opensearch
redis memcached rabbitmq activemq s3 ec2 rds ebs efs fsx backup backups dr recovery disaster continuity resilience
availability reliability performance capacity scaling scale cost-optimization savings reserved spot ondemand
compute-optimized memory storage-optimized gpu cpu accelerated hpc quantum blockchain iot edge robotics vision
speech language nlp llm genai generative agents agent assistant chatbot search ranking personalization
personalisation forecast demand pricing inventory catalog catalogue checkout cart orders order fulfillment
shipping returns loyalty rewards campaigns campaign email sms push notifications messaging communications comms
public relations pr brand creative editorial publishing news broadcast video audio music games gaming sports
education learning training academy university school campus students student faculty hospital clinic patient
patients pharmacy lab diagnostics imaging genomics biotech pharma energy utilities oil gas mining agriculture
telecom telecommunications transport transportation travel hospitality hotel hotels airline airlines automotive
real estate property facilities workplace office offices site sites region regions zone zones local
tech technology technologies technical ad ads adtech fintech martech blog website server servers proxy cache broker
worker workers runner runners agent node nodes function functions queue topic bucket buckets table tables index
query queries report dashboard dashboards skills kit toolkit sdk cli portal console router bridge tunnel sync
archive archives valley pipeline region cache memorial square tower towers plaza lodge manor
cluster vpn firewall proxy mesh fleet lab sandbox demo poc pilot prototype beta preview canary legacy next gen
director head chief vp svp evp cto cio ciso cfo ceo coo manager managers lead leads principal staff senior junior
intern interns contractor analyst analysts engineer developer developers admin board panel review reviewers
anti money laundering aml kyc know your our my sanctions screening treasury desk rota roster guild edge revenue
windows linux unix mac macos ios android admins sysadmins helpdesk servicedesk hotline frontline backoffice
middle front back office offices hq headquarters branch branches store stores warehouse warehouses plant plants
fleet transport field operations tooling tools toolchain runtime runtimes framework frameworks library libraries
sdk sdks mobile desktop web webapp portal portals marketplace partners affiliates channel channels ecosystem
communications community communities events event social impact sustainability esg carbon climate green energy
fraud abuse spam trust safety moderation policy policies standards controls control assurance audit audits
risk risks capital liquidity credit debit cards card payments payment wallet wallets rewards loyalty pricing
data ml ai analytics insights science research discovery experimentation experiments platform platforms
holdings associates industries enterprises ventures limited incorporated llp sa ag bv nv pty co kg oy ab as spa srl
`);

/**
 * Family names that are also ORG_WORDS, whose team reading puts them first or after a place ("Field Operations",
 * "West Region", "EMEA West", "North America"), not after a given name. Counted as a surname only beside a phone
 * number or e-mail address and after a given name that is not also a word or a place: "Laura Field +44 …".
 * Org words that do follow given names in company and product names ("Oscar Health", "Clara Labs", "Ava Assistant")
 * stay out.
 */
export const ORG_WORD_SURNAMES = words('field west north');

/** Words that, capitalised at the start of a sentence, are not given names. */
export const SENTENCE_WORDS = words(`
approved requested created contact contacts owner owned managed migrated deployed escalation escalate ping call
email send ask see note notes per by for from to with and or the a an on in at of via after before during until
temporary nightly daily weekly monthly legacy old new primary secondary backup do not delete keep used uses
feature offline online load test tests
`);
